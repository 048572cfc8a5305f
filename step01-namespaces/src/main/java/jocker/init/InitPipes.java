package jocker.init;

/**
 * The two pipes between the host and the container's init, passed as
 * inherited file descriptors (as runc passes its init pipe): nothing on the
 * filesystem to create, protect or clean up.
 *
 * <ul>
 * <li>fd 3, host to init: the {@link InitConfig}, once the host is ready.
 * <li>fd 4, init to host: nothing if the command was exec'd (the pipe is
 *     close-on-exec, so the host reads end-of-file at the exec), or an exit
 *     code and a one-line message if it could not be started. A container
 *     that waits for start sends the code {@link #CREATED} (and an empty
 *     message) once it is set up, then closes its end.
 * </ul>
 */
public final class InitPipes {
    private InitPipes() {}

    public static final int CONFIG_FD = 3;
    public static final int STATUS_FD = 4;

    /** fd 5, only with process.terminal: the engine's console socket, connected by the host (see Console). */
    public static final int CONSOLE_FD = 5;

    /**
     * fd 6, only for a container that waits for start: its state directory,
     * opened by the host, where the init finds exec.fifo. Not by path: an init
     * in a user namespace may not search the runtime's root directory, which
     * only the host's root can.
     */
    public static final int STATE_DIR_FD = 6;

    /** The status code of a container set up and waiting for start (exit codes are never negative). */
    public static final int CREATED = -1;
}
