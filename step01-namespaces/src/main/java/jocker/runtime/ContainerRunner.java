package jocker.runtime;

import jocker.spec.SpecException;
import jocker.sys.Fd;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Runs a container to completion, on the host side.
 *
 * <pre>
 *   host JVM                                   init JVM (PID 1 in the new namespaces)
 *   convert + validate the spec
 *   features: prepare
 *   thread: unshare, spawn the init   ------->  boots, waits on fd 3
 *   features: started(pid)
 *   write InitConfig to fd 3          ------->  mounts, pivot_root, hostname,
 *                                               rlimits, user, capabilities
 *   read fd 4: end-of-file = exec'd   <-------  execve (fd 4 closes with it)
 *              or code + message      <-------  ... or why it could not start
 *   forward signals, wait for exit
 *   features: cleanup
 * </pre>
 */
public final class ContainerRunner {
    private final List<Feature> features;

    /** @param features what later steps add to a run, in order */
    public ContainerRunner(List<Feature> features) {
        this.features = List.copyOf(features);
    }

    /**
     * Runs the container and waits for it. A spec that cannot run throws
     * {@link SpecException} before anything starts; a failure of the host
     * machinery throws {@link ContainerException}; everything else is in the
     * result, including a command that could not be started (125-127).
     */
    public ContainerResult run(Container container) {
        return run(container, Stdio.INHERIT);
    }

    /** Runs the container with its stdin, stdout and stderr where stdio says. */
    @SuppressWarnings("try") // the forwarder works by existing, from start to exit
    public ContainerResult run(Container container, Stdio stdio) {
        SpecConverter.Converted converted = SpecConverter.convert(container.spec(), container.bundleDir());
        List<Feature> prepared = new ArrayList<>();
        try {
            for (Feature feature : features) {
                feature.prepare(container);
                prepared.add(feature);
            }
            InitLauncher launcher = InitPool.take(converted.hostUnshareFlags(), converted.joins(), stdio);
            int pid = await(launcher);
            try (SignalForwarder forwarder = new SignalForwarder(pid)) {
                ContainerResult failure = handOver(launcher, container, converted, pid);
                int code = launcher.exited.join();
                return failure != null ? failure : ContainerResult.exited(code);
            }
        } finally {
            Collections.reverse(prepared);
            for (Feature feature : prepared) {
                feature.cleanup(container);
            }
        }
    }

    // tag::handover[]
    /** Gives the init its config; returns null once it has exec'd, or the failure it reported. */
    private ContainerResult handOver(InitLauncher launcher, Container container,
                                     SpecConverter.Converted converted, int pid) {
        for (Feature feature : features) {
            feature.started(container, pid);
        }
        try (OutputStream config = Fd.out(launcher.configFd()); InputStream status = Fd.in(launcher.statusFd())) {
            try {
                converted.init().write(new DataOutputStream(config));
            } catch (IOException e) {
                int code = launcher.exited.join();
                throw new ContainerException("the container's init exited (code " + code + ") before it got its config");
            }
            DataInputStream in = new DataInputStream(status);
            int code;
            try {
                code = in.readInt();
            } catch (EOFException closedByExec) {
                return null;
            }
            byte[] message = new byte[in.readInt()];
            in.readFully(message);
            return new ContainerResult(code, new String(message, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ContainerException("cannot read the container's start status: " + e.getMessage(), e);
        }
    }
    // end::handover[]

    private static int await(InitLauncher launcher) {
        try {
            return launcher.started.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            throw new ContainerException(cause.getMessage(), cause);
        }
    }
}
