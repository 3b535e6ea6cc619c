import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.sagstudy.explain.NumpyArgsort;
import org.sagstudy.explain.PatchOrder;
import org.sagstudy.explain.PatchSet;

/**
 * Checks every successor list the authors' beam search computed (THEIRS_DIR/*.json "successors", logged by
 * authors_run.py) against our {@code PatchOrder.numpy} of their mask, and against one fixed permutation (what
 * {@code --ranking} can express). No model; seconds. Needs an engine with PatchOrder:
 *
 * <pre>
 * java -cp "$APP/app/*:$APP/lib/main/*" scripts/parity/SuccessorCheck.java THEIRS_DIR
 * </pre>
 */
public class SuccessorCheck {

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: SuccessorCheck THEIRS_DIR");
            System.exit(2);
        }
        ObjectMapper mapper = new ObjectMapper();
        int photos = 0;
        int lists = 0;
        int numpyMismatches = 0;
        int fixedMismatches = 0;
        List<Path> files;
        try (Stream<Path> listing = Files.list(Path.of(args[0]))) {
            files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path file : files) {
            JsonNode theirs = mapper.readTree(file.toFile());
            photos++;
            float[] mask = new float[49];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = (float) theirs.get("mask7x7").get(i).asDouble();
            }
            PatchOrder numpy = PatchOrder.numpy(mask);
            PatchOrder fixed = PatchOrder.fixed(NumpyArgsort.argsort(mask));
            int photoMismatches = 0;
            for (JsonNode entry : theirs.get("successors")) {
                lists++;
                PatchSet member = new PatchSet(entry.get(1).asLong());
                int[] expected = new int[entry.get(2).size()];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = entry.get(2).get(i).asInt();
                }
                if (!Arrays.equals(expected, numpy.successors(member, 15))) {
                    numpyMismatches++;
                    photoMismatches++;
                }
                if (!Arrays.equals(expected, fixed.successors(member, 15))) {
                    fixedMismatches++;
                }
            }
            if (photoMismatches > 0) {
                System.out.println(file.getFileName() + ": " + photoMismatches + " successor lists differ from PatchOrder.numpy");
            }
        }
        System.out.println("photos " + photos + ", successor lists " + lists + ", PatchOrder.numpy mismatches "
                + numpyMismatches + ", fixed permutation mismatches " + fixedMismatches);
        System.exit(numpyMismatches == 0 ? 0 : 1);
    }
}
