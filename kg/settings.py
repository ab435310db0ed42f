"""Build settings: one frozen value passed down the stages, never a global."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from kg.namespaces import DEFAULT_BASE_IRI


def _default_base_iri() -> str:
    return os.environ.get("KG_BASE_IRI", DEFAULT_BASE_IRI)


@dataclass(frozen=True)
class Settings:
    """What a build may be told from outside.

    ``base_iri`` prefixes every instance IRI (default from ``$KG_BASE_IRI`` or
    :data:`kg.namespaces.DEFAULT_BASE_IRI`); ``home_province`` is the province
    a bare 省总工会 / 省委 refers to when the article does not say otherwise.
    """

    base_iri: str = field(default_factory=_default_base_iri)
    home_province: str = "江西"
    jobs: int = 1
    progress: bool = True

    def __post_init__(self) -> None:
        if not self.base_iri.endswith(("/", "#")):
            raise ValueError(f"base IRI must end with '/' or '#': {self.base_iri!r}")
