package jocker.cgroups;

import com.sun.jna.LastErrorException;
import jocker.cgroups.v1.V1Driver;
import jocker.cgroups.v2.V2Driver;
import jocker.sys.LibC;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes cgroups on this host: cgroup v1 (one hierarchy per controller, as
 * on this course's reference machine) or v2 (one unified hierarchy, as on
 * most hosts today). {@link #detect} picks the one the host uses.
 */
public interface CgroupDriver {
    /** Every container's cgroup is NAME/ID, below the hierarchy root. */
    String PARENT = "jocker";

    Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    long CGROUP2_SUPER_MAGIC = 0x63677270L;

    /** "cgroup v1 (...)" or "cgroup v2 (...)", for doctor and messages. */
    String describe();

    /** Refuses, with a clear message, limits this host cannot honour. Nothing is created. */
    void validate(Resources resources);

    /** Creates ID's cgroup, JOCKER/ID, with these limits (after validating them); on failure nothing stays. */
    default Cgroup create(String id, Resources resources) {
        return createAt(PARENT + "/" + id, resources);
    }

    /**
     * Creates the cgroup at path (below every hierarchy's root, the OCI
     * linux.cgroupsPath without its leading slash), and any missing cgroup
     * above it, with these limits; on failure nothing stays.
     */
    Cgroup createAt(String path, Resources resources);

    /** The roots of the hierarchies this driver uses (one on v2). */
    List<Path> roots();

    /**
     * After a container's cgroup at path was removed: removes the cgroups
     * above it that jocker made for it (below JOCKER only) and that are empty now.
     */
    default void removeEmptyParents(String path) {
        for (Path root : roots()) {
            Path top = root.resolve(PARENT);
            Path dir = root.resolve(path).getParent();
            while (dir != null && dir.startsWith(top) && !dir.equals(top) && Files.isDirectory(dir)
                    && CgroupFiles.children(dir).isEmpty() && CgroupFiles.procs(dir).isEmpty()) {
                CgroupFiles.rmdir(dir);
                dir = dir.getParent();
            }
        }
    }

    /**
     * Container ID's cgroup as made earlier, maybe by another process (create
     * and delete are separate commands); its directories may be gone.
     */
    default Cgroup open(String id) {
        return openAt(PARENT + "/" + id);
    }

    /** The cgroup at path, made earlier, maybe by another process. */
    Cgroup openAt(String path);

    /** Existing container cgroups, as paths; doctor lists them, cleanup removes the empty ones. */
    List<Path> leftovers();

    /** Removes container ID's cgroup (in every hierarchy) if it has no process left; false if it has. */
    default boolean removeIfEmpty(String id) {
        boolean removed = true;
        for (Path dir : leftovers()) {
            if (dir.getFileName().toString().equals(id)) {
                if (CgroupFiles.procs(dir).isEmpty()) {
                    CgroupFiles.rmdir(dir);
                } else {
                    removed = false;
                }
            }
        }
        return removed;
    }

    /**
     * Runs a cgroup's creation; if any step fails (a limit the kernel
     * refuses ...), removes what was made, so a failed start leaves nothing.
     */
    static <C extends Cgroup> C createOrRemove(C cgroup, Runnable create) {
        try {
            create.run();
            return cgroup;
        } catch (RuntimeException e) {
            try {
                cgroup.delete();
            } catch (RuntimeException cleanupFailed) {
                e.addSuppressed(cleanupFailed);
            }
            throw e;
        }
    }

    /** The driver for this host: v2 when /sys/fs/cgroup is a cgroup2 mount, v1 otherwise. */
    static CgroupDriver detect() {
        long[] stat = new long[15];
        try {
            LibC.statfs(CGROUP_ROOT.toString(), stat);
        } catch (LastErrorException e) {
            throw new CgroupException("cannot statfs " + CGROUP_ROOT + ": " + LibC.strerror(e.getErrorCode())
                    + " (no cgroup filesystem mounted?)");
        }
        return stat[0] == CGROUP2_SUPER_MAGIC ? new V2Driver(CGROUP_ROOT) : V1Driver.fromMountinfo();
    }
}
