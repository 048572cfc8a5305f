package jocker.runtime;

import jocker.process.Signals;
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
 * <p>The container runs in a session of its own (the init calls setsid), so
 * a terminal's ^C and ^\ reach jocker, not the container. When jocker's
 * stdin is a terminal, those two go to the container's whole process group,
 * as the terminal would have sent them: a ^C at a shell prompt stops the
 * command running in it, not just the shell.
 *
 * <p>Note on PID 1: the kernel delivers a signal to a namespace's init only
 * if it installed a handler for it (SIGKILL from outside always works). A
 * shell handles SIGINT; {@code sleep} as PID 1 ignores SIGTERM, as in docker.
 */
final class SignalForwarder implements AutoCloseable {
    static final String[] FORWARDED = {"INT", "TERM", "HUP", "QUIT", "USR1", "USR2", "WINCH"};

    private final List<Signal> installed = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    /** Signals a terminal sends to its foreground process group. */
    private static final String[] FROM_TERMINAL = {"INT", "QUIT"};

    /**
     * ownTerminal: the container has a terminal of its own (TerminalRelay), whose
     * line discipline turns ^C into SIGINT for the container's foreground, and
     * whose size change sends SIGWINCH: then the host's terminal sends jocker
     * neither, and SIGWINCH is the relay's.
     */
    SignalForwarder(long pid, boolean ownTerminal) {
        boolean terminal = !ownTerminal && LibC.isatty(0) == 1;
        SignalHandler forward = signal -> {
            boolean toGroup = terminal && java.util.Arrays.asList(FROM_TERMINAL).contains(signal.getName());
            // a negative pid is the process group: the init's, which setsid made its own
            Signals.kill(toGroup ? -pid : pid, signal.getNumber());
        };
        for (String name : FORWARDED) {
            if (ownTerminal && name.equals("WINCH")) {
                continue;
            }
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
