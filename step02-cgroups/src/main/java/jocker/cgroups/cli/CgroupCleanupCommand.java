package jocker.cgroups.cli;

import jocker.cgroups.CgroupDriver;
import jocker.cgroups.CgroupFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code cleanup}: removes the cgroups that containers which ended badly
 * (a killed jocker) left behind. A cgroup that still has processes is
 * reported, never removed: its container may still be running.
 */
@Command(name = "cleanup", description = "Remove empty cgroups left by containers that ended badly; report busy ones.")
public class CgroupCleanupCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    protected CommandSpec self;

    @Option(names = "--help", usageHelp = true, description = "Show this help.")
    boolean help;

    @Override
    public Integer call() {
        PrintWriter out = self.commandLine().getOut();
        int busy = 0;
        for (Path dir : CgroupDriver.detect().leftovers()) {
            List<Long> pids = CgroupFiles.procs(dir);
            if (pids.isEmpty()) {
                CgroupFiles.rmdir(dir);
                out.println("removed " + dir);
            } else {
                out.println("busy " + dir + ": processes " + pids);
                busy++;
            }
        }
        out.flush();
        return busy == 0 ? 0 : 1;
    }
}
