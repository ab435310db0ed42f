// Check RDF files against the OWL 2 DL profile with the OWL API that HermiT's jar carries
// (owlready2 ships it):   scripts/owl-dl-profile ontology/kg.ttl
// Prints each violation on a line, then "in the OWL 2 DL profile" or "NOT in the OWL 2 DL profile";
// exit status 0 when in the profile, 1 when not.
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class OwlDlProfile {
    public static void main(String[] args) throws Exception {
        boolean ok = true;
        for (String path : args) {
            OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
            OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(path));
            OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
            for (OWLProfileViolation v : report.getViolations()) {
                System.out.println(path + ": " + v);
            }
            System.out.println(path + ": " + (report.isInProfile() ? "in" : "NOT in") + " the OWL 2 DL profile ("
                               + ontology.getAxiomCount() + " axioms)");
            ok = ok && report.isInProfile();
        }
        System.exit(ok ? 0 : 1);
    }
}
