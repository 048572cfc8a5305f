package jocker.docs;

import jocker.testing.RootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs every command a chapter shows and compares what it prints with what
 * the chapter shows, so no chapter can show output the code no longer gives.
 *
 * <p>A transcript (src/docs/asciidoc/examples/*.txt) is what a terminal
 * would show: lines starting with "$ " are commands, run with bash from the
 * repository root; the lines up to the next command are their stdout and
 * stderr. The data root /var/lib/jocker in a command is replaced by a
 * scratch directory (and back in the output), and JOCKER_ROOT points
 * there, so commands without --root use it too. Values that change from run
 * to run are masked: NAME.masks holds lines "REGEX => REPLACEMENT" applied
 * to both sides. A replacement that ends in "#" numbers the values it
 * replaces in their order of appearance in the transcript (HEX1, HEX2, ...):
 * a digest the chapter shows twice must still be one value, and two that it
 * shows different must still differ. A command that fails must say so: one
 * that exits non-zero must show its code (echo "exit $?").
 *
 * <p>After a deliberate change of output: -Djocker.docs.update=true rewrites
 * the transcripts with what the commands print now.
 */
@RootTest
class TranscriptIT {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final Path EXAMPLES = REPO.resolve("docs/src/docs/asciidoc/examples");
    private static final String DATA_ROOT = "/var/lib/jocker";

    @TempDir
    static Path scratch;

    record Step(String command, List<String> expected) {
    }

    record Mask(Pattern pattern, String replacement) {
        boolean numbered() {
            return replacement.endsWith("#");
        }
    }

    /** The numbers given so far to each numbered mask's values, on one side of a comparison. */
    static final class Numbering {
        private final Map<Mask, Map<String, Integer>> seen = new HashMap<>();

        String number(Mask mask, String value) {
            Map<String, Integer> values = seen.computeIfAbsent(mask, m -> new HashMap<>());
            int n = values.computeIfAbsent(value, v -> values.size() + 1);
            return mask.replacement.substring(0, mask.replacement.length() - 1) + n;
        }
    }

    @BeforeAll
    static void makeTheDefaultRootfs() throws Exception {
        Result r = bash("bin/step01 rootfs busybox " + scratch.resolve("rootfs/busybox"));
        assertEquals(0, r.code, r.output);
    }

    @AfterAll
    static void deleteTheRootfsAndStopTheRegistry() throws Exception {
        bash("bin/registry stop"); // in case a transcript failed before its own stop
        bash("bin/step06 cleanup"); // the bridge, chains and cgroups a transcript's containers leave (not their own)
        try (Stream<Path> children = Files.list(scratch)) {
            for (Path child : children.toList()) {
                jocker.testing.TestRootfs.delete(child); // layers with links to the host's busybox, which JUnit warns of
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyTranscriptStillHolds() throws IOException {
        List<Path> transcripts;
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            transcripts = files.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        return transcripts.stream().map(t -> DynamicTest.dynamicTest(t.getFileName().toString(), () -> check(t)));
    }

    private void check(Path transcript) throws Exception {
        List<Step> steps = parse(Files.readAllLines(transcript));
        List<Mask> masks = masks(transcript);
        StringBuilder actualTranscript = new StringBuilder();
        List<String> mismatches = new ArrayList<>();
        Numbering shown = new Numbering();
        Numbering printed = new Numbering();
        for (Step step : steps) {
            Result r = bash(step.command.replace(DATA_ROOT, scratch.toString()));
            List<String> actual = r.output.replace(scratch.toString(), DATA_ROOT).lines().map(String::stripTrailing).toList();
            actualTranscript.append("$ ").append(step.command).append('\n');
            actual.forEach(l -> actualTranscript.append(l).append('\n'));
            if (r.code != 0 && !step.command.contains("$?")) {
                mismatches.add("$ " + step.command + "\n--- exits " + r.code + ", which the chapter does not show"
                        + " (end the command with: ; echo \"exit $?\"):\n" + String.join("\n", actual));
            }
            if (!mask(step.expected, masks, shown).equals(mask(actual, masks, printed))) {
                mismatches.add("$ " + step.command + "\n--- the chapter shows:\n" + String.join("\n", step.expected)
                        + "\n--- the command prints:\n" + String.join("\n", actual));
            }
        }
        if (!mismatches.isEmpty() && Boolean.getBoolean("jocker.docs.update")) {
            Files.writeString(transcript, actualTranscript.toString());
            return;
        }
        assertEquals(List.of(), mismatches, transcript + " no longer matches (-Djocker.docs.update=true rewrites it)");
    }

    static List<Step> parse(List<String> lines) {
        List<Step> steps = new ArrayList<>();
        String command = null;
        List<String> expected = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("$ ")) {
                if (command != null) {
                    steps.add(new Step(command, expected));
                }
                command = line.substring(2);
                expected = new ArrayList<>();
            } else if (command != null) {
                expected.add(line.stripTrailing());
            }
        }
        if (command != null) {
            steps.add(new Step(command, expected));
        }
        return steps;
    }

    private static List<Mask> masks(Path transcript) throws IOException {
        Path file = Path.of(transcript.toString().replaceFirst("\\.txt$", ".masks"));
        List<Mask> masks = new ArrayList<>();
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int arrow = line.indexOf(" => ");
                if (arrow <= 0) {
                    throw new AssertionError(file.getFileName() + " line " + (i + 1) + " is not \"REGEX => REPLACEMENT\": "
                            + line);
                }
                masks.add(new Mask(Pattern.compile(line.substring(0, arrow)), line.substring(arrow + 4)));
            }
        }
        return masks;
    }

    static List<String> mask(List<String> lines, List<Mask> masks, Numbering numbering) {
        List<String> result = new ArrayList<>();
        for (String line : lines) {
            String l = line;
            for (Mask m : masks) {
                l = m.numbered()
                        ? m.pattern.matcher(l).replaceAll(match -> Matcher.quoteReplacement(numbering.number(m, match.group())))
                        : m.pattern.matcher(l).replaceAll(m.replacement);
            }
            result.add(l);
        }
        return result;
    }

    record Result(int code, String output) {
    }

    static Result bash(String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(REPO.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("JOCKER_ROOT", scratch.toString()); // the default data root, in the scratch directory
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(p.exitValue(), output);
    }
}
