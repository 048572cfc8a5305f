package jocker.cgroups.v1;

import jocker.cgroups.CgroupException;
import jocker.cgroups.CgroupFiles;

import java.nio.file.Path;

/** The v1 freezer controller: freezer.state is THAWED, FREEZING or FROZEN. */
final class Freezer {
    private Freezer() {}

    static void freeze(Path dir) {
        CgroupFiles.write(dir, "freezer.state", "FROZEN");
        // FREEZING until every task has stopped; poll, as runc does
        for (int i = 0; i < 1000; i++) {
            if (CgroupFiles.read(dir, "freezer.state").equals("FROZEN")) {
                return;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new CgroupException("cgroup " + dir + " did not freeze (state " + CgroupFiles.read(dir, "freezer.state") + ")");
    }

    static void thaw(Path dir) {
        CgroupFiles.write(dir, "freezer.state", "THAWED");
    }
}
