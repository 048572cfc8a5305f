import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The course's exercises (run as a source file: java bin/lib/Exercises.java ...).
 *
 *   list STEP                 the exercises of a step: id, tests, section, hint (tab-separated)
 *   skeleton STEP TREE [ID]...  in the work tree TREE, replaces the body of each exercise's method (or
 *                             of those named) by a TODO that compiles and throws, with the hint and
 *                             the chapter section
 *
 * An exercise is a region of the code a chapter includes by tag (exercises/STEP.tsv names them);
 * its first method is the one the learner writes. main keeps the solution.
 */
public class Exercises {
    record Exercise(String id, String file, String tag, String tests, String section, String hint) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: Exercises list STEP | skeleton STEP TREE [ID]...");
            System.exit(2);
        }
        Path repo = Path.of("").toAbsolutePath();
        List<Exercise> exercises = read(repo.resolve("exercises").resolve(args[1] + ".tsv"));
        String module = module(repo, args[1]);
        if (args[0].equals("list")) {
            for (Exercise e : exercises) {
                System.out.println(e.id() + "\t" + e.tests() + "\t" + e.section() + "\t" + e.hint() + "\t" + module);
            }
        } else if (args[0].equals("skeleton") && args.length >= 3) {
            Path tree = Path.of(args[2]);
            List<String> only = List.of(args).subList(3, args.length);
            for (String id : only) {
                if (exercises.stream().noneMatch(e -> e.id().equals(id))) {
                    throw new IllegalArgumentException("no exercise " + id + " in " + args[1]);
                }
            }
            for (Exercise e : exercises) {
                if (!only.isEmpty() && !only.contains(e.id())) {
                    continue;
                }
                Path source = tree.resolve(module).resolve("src/main/java").resolve(e.file());
                Files.writeString(source, skeleton(Files.readString(source), e, args[1]));
            }
        } else {
            System.err.println("usage: Exercises list STEP | skeleton STEP TREE [ID]...");
            System.exit(2);
        }
    }

    static List<Exercise> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no exercises for this step (" + file + ")");
        }
        List<Exercise> exercises = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 6) {
                throw new IllegalArgumentException(file + ": not 6 tab-separated fields: " + line);
            }
            exercises.add(new Exercise(f[0], f[1], f[2], f[3], f[4], f[5]));
        }
        return exercises;
    }

    /** stepNN's module directory: the one whose name starts with "stepNN-". */
    static String module(Path repo, String step) throws IOException {
        try (var dirs = Files.list(repo)) {
            return dirs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(step + "-")).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no module for " + step));
        }
    }

    /** The source with the body of the first method in the exercise's region replaced by a TODO. */
    static String skeleton(String source, Exercise e, String step) {
        List<String> lines = new ArrayList<>(source.lines().toList());
        int start = indexOf(lines, "// tag::" + e.tag() + "[]", 0, e);
        int end = indexOf(lines, "// end::" + e.tag() + "[]", start, e);
        int open = -1;
        for (int i = start + 1; i < end && open < 0; i++) {
            String t = lines.get(i).trim();
            boolean comment = t.startsWith("*") || t.startsWith("/*") || t.startsWith("//") || t.startsWith("@");
            // the signature's last line: "...) {", or "throws X {" under a signature that wrapped
            if (!comment && t.endsWith("{") && (t.contains(")") || t.startsWith("throws "))) {
                open = i;
            }
        }
        if (open < 0) {
            throw new IllegalArgumentException(e.id() + ": no method in the region " + e.tag() + " of " + e.file());
        }
        int depth = 0;
        int close = -1;
        for (int i = open; i < end && close < 0; i++) {
            for (char c : code(lines.get(i)).toCharArray()) {
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            }
            if (depth == 0) {
                close = i;
            }
        }
        if (close < 0) {
            throw new IllegalArgumentException(e.id() + ": the method in " + e.tag() + " does not end in the region");
        }
        String indent = lines.get(open).replaceAll("^(\\s*).*", "$1") + "    ";
        List<String> body = List.of(
                indent + "// TODO exercise " + e.id() + ": " + e.hint() + ".",
                indent + "// Chapter: \"" + e.section() + "\". Check your work: bin/check " + step + " " + e.id(),
                indent + "throw new UnsupportedOperationException(\"TODO exercise " + e.id() + " (see the chapter section \\\""
                        + e.section() + "\\\")\");");
        List<String> result = new ArrayList<>(lines.subList(0, open + 1));
        result.addAll(body);
        result.addAll(lines.subList(close, lines.size()));
        return String.join("\n", result) + "\n";
    }

    private static int indexOf(List<String> lines, String marker, int from, Exercise e) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).trim().equals(marker)) {
                return i;
            }
        }
        throw new IllegalArgumentException(e.id() + ": no \"" + marker + "\" in " + e.file());
    }

    /** The line without string and char literals and without a trailing // comment: its braces are code. */
    private static String code(String line) {
        return line.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"").replaceAll("'(\\\\.|[^'\\\\])*'", "''")
                .replaceAll("//.*$", "");
    }
}
