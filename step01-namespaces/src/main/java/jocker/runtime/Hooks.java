package jocker.runtime;

import jocker.process.Signals;
import jocker.spec.Spec;
import jocker.sys.AtomicFile;
import jocker.sys.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

// tag::hooks[]
/**
 * Runs a spec's hooks (config.md, "POSIX-platform Hooks"): each program gets
 * the container's OCI state as JSON on stdin, its own argv (argv[0] may
 * differ from its path: docker's networking hook is dockerd itself, told
 * what to do by argv[0]) and environment, and at most its timeout. Its
 * output goes to a file in the state directory, quoted when it fails.
 */
final class Hooks {
    private Hooks() {}


    /** Runs them in order; the first that fails (or times out) throws, naming the phase and the program. */
    static void run(String phase, List<Spec.Hook> hooks, State state, Path stateDir) {
        if (hooks.isEmpty()) {
            return;
        }
        Path stdin = stateDir.resolve("hook-state.json");
        Path output = stateDir.resolve("hook-output");
        try {
            AtomicFile.write(stdin, Json.MAPPER.writeValueAsBytes(state.toOci()));
            for (Spec.Hook hook : hooks) {
                Files.deleteIfExists(output);
                int code = runOne(hook, new Stdio(stdin, output, output));
                if (code != 0) {
                    String said = Files.exists(output) ? Files.readString(output).strip() : "";
                    throw new ContainerException(phase + " hook " + hook.path() + " failed (exit " + code + ")"
                            + (said.isEmpty() ? "" : ": " + said.lines().reduce((a, b) -> b).orElse("")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the " + phase + " hooks", e);
        } finally {
            try {
                Files.deleteIfExists(stdin);
                Files.deleteIfExists(output);
            } catch (IOException ignored) {
                // the state directory goes with the container
            }
        }
    }

    private static int runOne(Spec.Hook hook, Stdio stdio) {
        List<String> argv = hook.args().isEmpty() ? List.of(hook.path()) : hook.args();
        int pid = Spawn.spawn(hook.path(), argv, hook.env(), stdio);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Spawn.waitFor(pid));
        try {
            return hook.timeout() == null ? exit.join() : exit.get(hook.timeout(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            Signals.kill(pid, Signals.SIGKILL);
            exit.join();
            throw new ContainerException("hook " + hook.path() + " timed out after " + hook.timeout() + " s");
        } catch (Exception e) {
            throw new ContainerException("hook " + hook.path() + ": " + e.getMessage(), e);
        }
    }
}
// end::hooks[]
