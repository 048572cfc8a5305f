package jocker.runtime;

import com.sun.jna.LastErrorException;
import jocker.sys.Errno;
import jocker.sys.LibC;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.ArrayList;
import java.util.List;

/**
 * Passes the signals jocker receives (^C, kill) on to the container's PID 1,
 * as {@code docker run} does with --sig-proxy. While installed, these
 * signals no longer end the host JVM: the container decides, and jocker
 * exits with its status.
 *
 * <p>sun.misc.Signal (module jdk.unsupported) is the JDK's only way for an
 * application to handle signals; javac warns that it is internal.
 *
 * <p>Note on PID 1: the kernel delivers a signal to a namespace's init only
 * if it installed a handler for it (SIGKILL from outside always works). A
 * shell handles SIGINT; {@code sleep} as PID 1 ignores SIGTERM, as in docker.
 */
final class SignalForwarder implements AutoCloseable {
    static final String[] FORWARDED = {"INT", "TERM", "HUP", "QUIT", "USR1", "USR2", "WINCH"};

    private final List<Signal> installed = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    SignalForwarder(long pid) {
        SignalHandler forward = signal -> {
            try {
                LibC.kill((int) pid, signal.getNumber());
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.ESRCH) {
                    throw e;
                }
            }
        };
        for (String name : FORWARDED) {
            try {
                Signal signal = new Signal(name);
                previous.add(Signal.handle(signal, forward));
                installed.add(signal);
            } catch (IllegalArgumentException reservedByTheJvm) {
                // e.g. SIGQUIT (thread dumps) unless the JVM runs with -Xrs
            }
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < installed.size(); i++) {
            Signal.handle(installed.get(i), previous.get(i));
        }
    }
}
