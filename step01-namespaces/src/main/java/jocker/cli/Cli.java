package jocker.cli;

import jocker.runtime.InitPool;
import jocker.runtime.SpecConverter;
import jocker.sys.JockerException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Runs a picocli command tree the docker way: a bad flag or a bad value is
 * one line on stderr and exit code 125; errors the library reports
 * ({@link JockerException}s, I/O) are one line too.
 * Returns the exit code instead of exiting, so tests can call it.
 */
public final class Cli {
    private Cli() {}

    /** docker's exit code for "the engine failed", as opposed to the container's command. */
    public static final int ENGINE_ERROR = 125;

    /**
     * The main of every step's program. The verbs an engine calls most run
     * without picocli when their arguments are plain (see QuickVerbs); for
     * {@code run}, the container's init starts booting before the flags are
     * even parsed (see InitPool).
     */
    public static int main(Object rootCommand, String... args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        if (args.length > 0 && args[0].equals("run")) {
            InitPool.prestart(SpecConverter.DOCKER_HOST_NAMESPACES);
        }
        Integer quick = QuickVerbs.run(rootCommand, out, err, args); // state, start, kill, delete, list: see there
        if (quick != null) {
            return quick;
        }
        try {
            return execute(rootCommand, out, err, args);
        } finally {
            InitPool.discard();
        }
    }

    public static int execute(Object rootCommand, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = CommandTree.of(rootCommand, args);
        cl.setOut(out);
        cl.setErr(err);
        String program = cl.getCommandName();
        cl.setParameterExceptionHandler((e, ignored) -> {
            String command = e.getCommandLine().getCommandSpec().qualifiedName();
            err.println(program + ": " + e.getMessage() + " (see '" + command + " --help')");
            err.flush();
            return ENGINE_ERROR;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) ->
                failed(e, program, err, RuntimeOptions.of(commandLine.getCommandSpec())));
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** A command that threw: one line (a stack trace if it is a bug), logged to --log too; docker's exit code. */
    static int failed(Exception e, String program, PrintWriter err, RuntimeOptions runtime) {
        if (isUserError(e)) {
            err.println(program + ": " + message(e));
            runtime.logError(message(e));
        } else {
            err.println(program + ": internal error: " + e);
            e.printStackTrace(err);
        }
        err.flush();
        return ENGINE_ERROR;
    }

    /** The one line a user reads: java.nio's file exceptions carry only the path, so say what went wrong with it. */
    static String message(Exception e) {
        Throwable t = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof java.nio.file.FileSystemException f && f.getReason() == null) {
            String what = t instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                    : t instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : t instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                    : t instanceof java.nio.file.NotDirectoryException ? "not a directory"
                    : t instanceof java.nio.file.DirectoryNotEmptyException ? "directory not empty"
                    : t.getClass().getSimpleName();
            return f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": " + what;
        }
        return t.getMessage();
    }

    private static boolean isUserError(Exception e) {
        return e instanceof JockerException || e instanceof IOException || e instanceof UncheckedIOException
                || e instanceof IllegalArgumentException;
    }
}
