package jocker.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verbs run without picocli read a command line as picocli does, and fail as the picocli path fails. */
class QuickVerbsTest {
    @TempDir
    Path tmp;

    /** What picocli makes of a command line, in QuickVerbs' terms. */
    static QuickVerbs.Parsed picocli(String... args) {
        CommandLine tree = CommandTree.of(new Main(), args);
        ParseResult root = tree.parseArgs(args);
        RuntimeOptions globals = (RuntimeOptions) tree.getCommandSpec().mixins().get("runtime").userObject();
        ParseResult verb = root.subcommand();
        Map<String, String> flags = new HashMap<>();
        for (OptionSpec o : verb.matchedOptions()) {
            flags.put(o.longestName(), o.arity().max() == 0 ? "" : o.getValue());
        }
        List<String> operands = verb.matchedPositionals().stream().map(p -> (String) p.getValue()).toList();
        return new QuickVerbs.Parsed(globals, verb.commandSpec().name(), flags, operands);
    }

    static void assertSame(QuickVerbs.Parsed want, QuickVerbs.Parsed got, String line) {
        assertNotNull(got, line + ": a plain line");
        assertEquals(want.verb(), got.verb(), line);
        assertEquals(want.flags(), got.flags(), line);
        assertEquals(want.operands(), got.operands(), line);
        assertEquals(want.globals().root, got.globals().root, line);
        assertEquals(want.globals().log, got.globals().log, line);
        assertEquals(want.globals().logFormat, got.globals().logFormat, line);
        assertEquals(want.globals().debug, got.globals().debug, line);
    }

    @Test
    void plainLinesReadAsPicocliReadsThem() {
        for (String line : List.of(
                "state box",
                "--root /run/x state box",
                "--root=/run/x --log /tmp/l.json --log-format json state box",
                "--debug --log-format=text start box",
                "--root /r delete box",
                "--root /r delete --force box",
                "--root /r delete box -f",
                "kill box",
                "kill box KILL",
                "kill --all box 9",
                "--root /r kill -a box SIGTERM",
                "list",
                "--root /r list -q",
                "list --format json",
                "list -f=table --quiet",
                "list --format=json")) {
            String[] args = line.split(" ");
            assertSame(picocli(args), QuickVerbs.parse(args), line);
        }
    }

    @Test
    void anythingElseIsLeftToPicocli() {
        for (String line : List.of(
                "", "--help", "state", "state --help", "state a b", "start", "delete --bogus box", "kill a b c",
                "kill -9 box", "--systemd-cgroup state box", "--root", "--root --log x state box", "--debug=1 state box",
                "--frob state box", "list box", "list --format", "list -q -q", "list --quiet=1", "delete -f -f box",
                "run --rootfs / true", "create --bundle b box", "stat box", "state -- box")) {
            String[] args = line.isEmpty() ? new String[0] : line.split(" ");
            assertNull(QuickVerbs.parse(args), line);
        }
    }

    record Out(Integer code, String out, String err) {}

    Out quick(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Integer code = QuickVerbs.run(new Main(), new PrintWriter(out), new PrintWriter(err), args);
        return new Out(code, out.toString(), err.toString());
    }

    Out full(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(new Main(), new PrintWriter(out), new PrintWriter(err), args);
        return new Out(code, out.toString(), err.toString());
    }

    @Test
    void errorsAndExitCodesAreThePicocliPaths() throws Exception {
        String root = tmp.resolve("state").toString();
        for (String line : List.of("state nope", "start nope", "kill nope", "kill nope NOSUCHSIGNAL", "delete nope",
                "delete --force nope", "state bad/id", "list", "list -q", "list --format json", "list --format yaml")) {
            String[] args = ("--root " + root + " " + line).split(" ");
            assertEquals(full(args), quick(args), line);
        }
        assertEquals(125, quick("--root", root, "state", "nope").code());
        assertEquals(0, quick("--root", root, "delete", "--force", "nope").code(), "runc: deleting what is not there, by force");
    }

    @Test
    void anErrorGoesToTheLogAsThePicocliPathWritesIt() throws Exception {
        Path quickLog = tmp.resolve("quick.json");
        Path fullLog = tmp.resolve("full.json");
        String root = tmp.resolve("state").toString();
        quick("--root", root, "--log", quickLog.toString(), "--log-format", "json", "state", "nope");
        full("--root", root, "--log", fullLog.toString(), "--log-format", "json", "state", "nope");
        String withoutTime = "\"time\":\"[^\"]*\"";
        assertEquals(Files.readString(fullLog).replaceAll(withoutTime, ""), Files.readString(quickLog).replaceAll(withoutTime, ""));
        assertTrue(Files.readString(quickLog).startsWith("{\"level\":\"error\",\"msg\":\"container nope does not exist\""),
                Files.readString(quickLog));
    }
}
