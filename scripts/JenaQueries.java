// Run SPARQL query files over one RDF file with Apache Jena ARQ, in one JVM (arq starts a JVM per
// query, which is slow for a dozen queries):
//   scripts/jena scripts/JenaQueries.java DATA OUT_DIR QUERY.rq...
// DATA is read by its suffix (.ttl, .nt, .nq, .trig, .rdf, ...); quad files are queried with the
// union of their graphs as the default graph, as kg query does. For each query NAME.rq the result
// goes to OUT_DIR/NAME.csv (W3C SPARQL CSV) and one line "NAME<TAB>rows" to stdout.
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryExecutionFactory;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.query.ResultSetRewindable;
import org.apache.jena.query.ResultSetFactory;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.sparql.core.DatasetGraphFactory;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.rdf.model.Model;

public class JenaQueries {
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: JenaQueries DATA OUT_DIR QUERY.rq...");
            System.exit(2);
        }
        Dataset data = RDFDataMgr.loadDataset(args[0]);
        Model union = data.getUnionModel().union(data.getDefaultModel());
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        for (int i = 2; i < args.length; i++) {
            Path file = Path.of(args[i]);
            String name = file.getFileName().toString().replaceFirst("\\.rq$", "");
            Query query = QueryFactory.read(file.toString());
            try (QueryExecution exec = QueryExecutionFactory.create(query, union)) {
                ResultSetRewindable rows = ResultSetFactory.makeRewindable(exec.execSelect());
                try (OutputStream f = new FileOutputStream(out.resolve(name + ".csv").toFile())) {
                    ResultSetFormatter.outputAsCSV(f, rows);
                }
                System.out.println(name + "\t" + rows.size());
            }
        }
    }
}
