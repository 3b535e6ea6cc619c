package org.sagstudy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sagstudy.testing.SharedData;

class ExplainCommandTest {

    @TempDir
    Path temp;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private int explain(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--model";
        all[1] = SharedData.model().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return new ExplainCommand(new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8)).run(all);
    }

    private String errors() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    /** The messages of a run that must be refused as a usage error (exit code 2). */
    private String refused(String... args) {
        stderr.reset();
        assertEquals(2, explain(args), errors());
        return errors();
    }

    private static JsonNode read(Path file) throws Exception {
        return new ObjectMapper().readTree(file.toFile());
    }

    @Test
    void writesTheDocumentAndPicturesAndNamesEachBadFile() throws Exception {
        Path zebra = SharedData.image("imagenet-dev/n02391049_zebra.JPEG");
        Path text = Files.writeString(temp.resolve("notes.txt"), "not an image");
        Path empty = Files.write(temp.resolve("empty.jpg"), new byte[0]);
        byte[] bytes = Files.readAllBytes(zebra);
        Path truncated = Files.write(temp.resolve("truncated.jpg"), Arrays.copyOf(bytes, bytes.length / 2));
        Path out = temp.resolve("out");

        int code = explain("--out", out.toString(), zebra.toString(), text.toString(), empty.toString(),
                truncated.toString());

        assertEquals(1, code, errors());
        for (Path bad : new Path[] {text, empty, truncated}) {
            assertEquals(1, errors().lines().filter(l -> l.startsWith("error: " + bad)).count(), errors());
        }
        assertTrue(errors().contains("[1/4] n02391049_zebra.JPEG"), errors());
        assertFalse(errors().contains("Exception"), errors());

        JsonNode json = read(out.resolve("n02391049_zebra.json"));
        assertEquals("n02391049_zebra.JPEG", json.get("image").asText());
        assertEquals("mobilenet_v2", json.at("/model/name").asText());
        assertEquals(64, json.at("/model/sha256").asText().length());
        assertEquals("fp32", json.at("/model/precision").asText());
        assertEquals("n02391049", json.at("/predicted/wnid").asText());
        assertEquals("zebra", json.at("/predicted/label").asText());
        assertTrue(json.get("pFull").asDouble() > 0.99);
        assertEquals("default", json.at("/parameters/mode").asText());
        assertEquals(3, json.at("/parameters/beamWidth").asInt());
        assertTrue(json.at("/parameters/noiseSeed").isNumber());
        assertEquals(49, json.get("igosRanking").size());
        assertEquals(49, IntStream.range(0, 49).map(i -> json.get("igosRanking").get(i).asInt()).distinct().count());
        assertTrue(json.get("roots").size() > 0);
        for (JsonNode root : json.get("roots")) {
            assertTrue(root.get("relative").asDouble() > 0.9);
            assertEquals(root.get("confidence").asDouble() / json.get("pFull").asDouble(),
                    root.get("relative").asDouble(), 1e-9);
        }
        assertTrue(json.get("sagRoots").size() >= 1 && json.get("sagRoots").size() <= 3);
        assertEquals(json.get("sagRoots").size(), json.at("/sag/nodes").findValues("root").stream()
                .filter(JsonNode::asBoolean).count());
        for (JsonNode edge : json.at("/sag/edges")) {
            JsonNode parent = json.at("/sag/nodes").get(edge.get("parent").asInt());
            JsonNode child = json.at("/sag/nodes").get(edge.get("child").asInt());
            assertEquals(parent.get("patches").size() - 1, child.get("patches").size());
        }
        assertEquals(49, json.get("gradcam7x7").size());
        assertEquals(49, json.get("igos7x7").size());
        assertTrue(json.at("/stats/forwardPasses").asLong() > 0);
        assertTrue(json.at("/stats/millis/search").isNumber());

        Path pictures = out.resolve("n02391049_zebra");
        for (String file : new String[] {"original.png", "gradcam.png", "igos.png", "sag.svg", "sag.dot",
            "roots/root-01.png"}) {
            assertTrue(Files.size(pictures.resolve(file)) > 100, file);
        }
        String svg = Files.readString(pictures.resolve("sag.svg"));
        assertEquals(json.at("/sag/nodes").size(), svg.split("class=\"node\"").length - 1);
    }

    @Test
    void sameInputsGiveTheSameDocumentAndAGivenRankingIsUsed() throws Exception {
        Path zebra = SharedData.image("imagenet-dev/n02391049_zebra.JPEG");
        assertEquals(0, explain("--no-heatmaps", "--out", temp.resolve("a").toString(), zebra.toString()), errors());
        assertEquals(0, explain("--no-heatmaps", "--out", temp.resolve("b").toString(), zebra.toString()), errors());
        ObjectNode first = (ObjectNode) read(temp.resolve("a/n02391049_zebra.json"));
        ObjectNode second = (ObjectNode) read(temp.resolve("b/n02391049_zebra.json"));
        ((ObjectNode) first.get("stats")).remove(java.util.List.of("millis", "modelMillis"));
        ((ObjectNode) second.get("stats")).remove(java.util.List.of("millis", "modelMillis"));
        assertEquals(first, second);

        String reversed = String.join(",", IntStream.range(0, 49).map(i -> 48 - i).mapToObj(Integer::toString).toList());
        assertEquals(0, explain("--no-heatmaps", "--ranking", reversed, "--mode", "reference", "--out",
                temp.resolve("c").toString(), zebra.toString()), errors());
        JsonNode given = read(temp.resolve("c/n02391049_zebra.json"));
        assertEquals("given", given.at("/parameters/ranking").asText());
        assertEquals("reference", given.at("/parameters/mode").asText());
        assertEquals(48, given.get("igosRanking").get(0).asInt());
    }

    @Test
    void unusableModelsAndOptionsGetOneClearMessage() throws Exception {
        Path zebra = SharedData.image("imagenet-dev/n02391049_zebra.JPEG");
        int missing = new ExplainCommand(new PrintStream(stdout), new PrintStream(stderr, true, StandardCharsets.UTF_8))
                .run(new String[] {"--model", temp.resolve("nowhere").toString(), zebra.toString()});
        assertEquals(2, missing);
        assertTrue(errors().contains("model folder not found"), errors());

        Path broken = Files.createDirectories(temp.resolve("broken"));
        Files.writeString(broken.resolve("broken.pt"), "this is not TorchScript");
        Files.writeString(broken.resolve("synset.txt"), "n0 a\nn1 b\n");
        stderr.reset();
        int malformed = new ExplainCommand(new PrintStream(stdout), new PrintStream(stderr, true, StandardCharsets.UTF_8))
                .run(new String[] {"--model", broken.toString(), zebra.toString()});
        assertEquals(2, malformed);
        assertTrue(errors().startsWith("error: cannot load TorchScript model"), errors());
        assertEquals(1, errors().lines().count(), errors());

        assertTrue(refused("--beam-width", "three", zebra.toString())
                .startsWith("error: --beam-width needs a whole number"), errors());
        assertTrue(refused("--ranking", "1,2,3", zebra.toString()).contains("49"), errors());
        assertTrue(refused("--ranking-mask", "1,0.5,1", zebra.toString()).contains("49"), errors());
        String ones = String.join(",", java.util.Collections.nCopies(49, "1"));
        assertTrue(refused("--ranking-mask", ones, "--ranking", "0", zebra.toString()).contains("exclude each other"),
                errors());
        // the shared folder holds only the fp32 model
        String noVariant = refused("--precision", "bf16", zebra.toString());
        assertTrue(noVariant.startsWith("error: model folder ") && noVariant.contains("mobilenet_v2.bf16.pt")
                && noVariant.contains("scripts/models/variants.sh"), noVariant);
        assertTrue(refused("--precision", "fp16", zebra.toString())
                .startsWith("error: precision must be fp32 or bf16"), errors());
        assertTrue(refused("--memory-format", "nhwc", zebra.toString())
                .startsWith("error: memory format must be contiguous or channels-last"), errors());
    }
}
