package jocker.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a step's command-line program in a JVM of its own, as a user would
 * run bin/stepNN, with this test run's classpath: real exit codes, real
 * signals, real stdout and stderr.
 */
public final class Cmd {
    private final List<String> command;
    private final Process process;
    private final Path out;
    private final Path err;

    private Cmd(List<String> command, Process process, Path out, Path err) {
        this.command = command;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Starts `java ... mainClass args`, stdin from /dev/null. */
    public static Cmd start(String mainClass, String... args) throws IOException {
        return startWrapped(List.of(), mainClass, args);
    }

    /** Starts `wrapper... java ... mainClass args`: the program run under another command. */
    public static Cmd startWrapped(List<String> wrapper, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Djna.platform.library.path=/usr/lib");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        Path out = Files.createTempFile("jocker-test", ".out");
        Path err = Files.createTempFile("jocker-test", ".err");
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Cmd(command, p, out, err);
    }

    /** Runs to completion (at most a minute). */
    public static Result run(String mainClass, String... args) throws IOException {
        return start(mainClass, args).await(Duration.ofMinutes(1));
    }

    public long pid() {
        return process.pid();
    }

    public String outSoFar() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** Waits until stdout contains text. */
    public void awaitOutput(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!outSoFar().contains(text)) {
            if (System.nanoTime() > deadline || !process.isAlive() && !outSoFar().contains(text)) {
                throw new AssertionError("no \"" + text + "\" in the output of " + command + ":\n" + outSoFar()
                        + "\n--- stderr\n" + Files.readString(err));
            }
            Thread.sleep(20);
        }
    }

    public Result await(Duration timeout) throws IOException {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out after " + timeout + ": " + command + "\n" + outSoFar());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("interrupted", e);
        }
        Result r = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }

    /** Whether the program has ended. */
    public boolean isDone() {
        return !process.isAlive();
    }

    /** Sends a signal to the program (as a terminal's ^C or a kill would). */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
        }
    }
}
