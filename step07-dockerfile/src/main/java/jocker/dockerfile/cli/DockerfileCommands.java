package jocker.dockerfile.cli;

import jocker.dockerfile.Lex;
import jocker.dockerfile.Node;
import jocker.dockerfile.Parser;
import jocker.sys.JockerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** The parser and the word expansion on their own: parse a Dockerfile, expand words. */
public final class DockerfileCommands {
    private DockerfileCommands() {}

    /** The error and exit 1, as docker's build reports a bad Dockerfile. */
    abstract static class DockerfileCommand implements Callable<Integer> {
        @picocli.CommandLine.Spec
        CommandSpec self;

        @Option(names = "--help", usageHelp = true, description = "Show this help.")
        boolean help;

        abstract int run(PrintWriter out) throws IOException;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = self.commandLine().getOut();
            try {
                return run(out);
            } catch (JockerException e) {
                out.flush();
                self.commandLine().getErr().println(self.root().name() + ": " + e.getMessage());
                self.commandLine().getErr().flush();
                return 1;
            }
        }
    }

    @Command(name = "parse", description = "Parse a Dockerfile and print its parse tree (buildkit's AST dump).")
    public static class Parse extends DockerfileCommand {
        @Option(names = "--format", paramLabel = "ast", description = "ast: buildkit's dump, one instruction a line (the only format).")
        String format = "ast";

        @Parameters(paramLabel = "DOCKERFILE", description = "The file (- for stdin).")
        String file;

        @Override
        int run(PrintWriter out) throws IOException {
            if (!format.equals("ast")) {
                throw new JockerException("unknown --format \"" + format + "\": ast is the only one");
            }
            String text;
            try {
                text = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                        : Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new JockerException("failed to read " + file + ": no such file or directory");
            }
            Parser.Result r = Parser.parse(text);
            for (String w : r.warnings()) {
                self.commandLine().getErr().println("[WARNING]: " + w);
            }
            for (Node n : r.instructions()) {
                out.println("(" + n.dump() + ")");
            }
            return 0;
        }
    }

    @Command(name = "expand", description = "Print each WORD after docker's word expansion, one a line.")
    public static class Expand extends DockerfileCommand {
        @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "A variable. Repeatable.")
        List<String> env = new ArrayList<>();

        @Option(names = "--escape", paramLabel = "\\|`", description = "The escape character (default \\).")
        String escape = "\\";

        @Parameters(paramLabel = "WORD", arity = "1..*")
        List<String> words;

        @Override
        int run(PrintWriter out) {
            if (!escape.equals("\\") && !escape.equals("`")) {
                throw new JockerException("invalid escape token '" + escape + "' does not match ` or \\");
            }
            Map<String, String> vars = new LinkedHashMap<>();
            for (String e : env) {
                int eq = e.indexOf('=');
                if (eq <= 0) {
                    throw new JockerException("invalid -e \"" + e + "\": KEY=VALUE");
                }
                vars.put(e.substring(0, eq), e.substring(eq + 1));
            }
            Lex lex = new Lex(escape.charAt(0));
            for (String w : words) {
                out.println(lex.processWord(w, vars));
            }
            return 0;
        }
    }
}
