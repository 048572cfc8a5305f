package jocker.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code pause} and {@code resume}: runc's, through the cgroup freezer (step 2 on). */
public final class PauseCommand {
    private PauseCommand() {}

    @Command(name = "pause", description = "Freeze every process of a running container.")
    public static class Pause extends RuntimeVerb {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            lifecycle().pause(id);
            return 0;
        }
    }

    @Command(name = "resume", description = "Thaw a paused container.")
    public static class Resume extends RuntimeVerb {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            lifecycle().resume(id);
            return 0;
        }
    }
}
