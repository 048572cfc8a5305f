package jocker.runtime;

/**
 * How a container ended. exitCode follows the shell: the process's own
 * exit status, 128+N when killed by signal N, and 125/126/127 when it
 * could not be started, with error saying why.
 */
public record ContainerResult(int exitCode, String error) {
    public static ContainerResult exited(int exitCode) {
        return new ContainerResult(exitCode, null);
    }

    public boolean failedToStart() {
        return error != null;
    }
}
