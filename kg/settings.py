"""Build settings: one frozen value passed down the stages, never a global."""
from __future__ import annotations

import configparser
import json
import os
from dataclasses import dataclass, field

from kg.namespaces import DEFAULT_BASE_IRI


def _default_base_iri() -> str:
    return os.environ.get("KG_BASE_IRI", DEFAULT_BASE_IRI)


def pipeline_home_province() -> str:
    """The home province the pipeline's ``config.cfg`` names: the one place the default is written."""
    from kg.resources import pipeline_dir

    path = pipeline_dir() / "config.cfg"
    config = configparser.ConfigParser(interpolation=None)
    config.read(path, encoding="utf-8")
    for section in config.sections():
        if "home_province" in config[section]:
            return json.loads(config[section]["home_province"])
    raise RuntimeError(f"{path}: names no home_province")


def _default_home_province() -> str:
    return os.environ.get("KG_HOME_PROVINCE") or pipeline_home_province()


@dataclass(frozen=True)
class Settings:
    """What a build may be told from outside.

    ``base_iri`` prefixes every instance IRI (default ``$KG_BASE_IRI``, else
    :data:`kg.namespaces.DEFAULT_BASE_IRI`); ``home_province`` is the province
    a bare 省总工会 / 省委 refers to when the article does not say otherwise
    (default ``$KG_HOME_PROVINCE``, else the one the pipeline's ``config.cfg``
    names). ``kg build --province`` and ``--base-iri`` set them; the build
    hands the province to the pipeline and to the extraction cache's key.
    """

    base_iri: str = field(default_factory=_default_base_iri)
    home_province: str = field(default_factory=_default_home_province)
    jobs: int = 1
    progress: bool = True

    def __post_init__(self) -> None:
        if not self.base_iri.endswith(("/", "#")):
            raise ValueError(f"base IRI must end with '/' or '#': {self.base_iri!r}")
        if not self.home_province or self.home_province != self.home_province.strip():
            raise ValueError(f"home province must be a province's name: {self.home_province!r}")
