package jocker.cgroups;

import java.util.List;

// tag::interface[]
/**
 * One container's cgroup, whichever the driver: a directory per hierarchy
 * on v1, one directory on v2. Made with its limits by
 * {@link CgroupDriver#create}, removed by {@link #delete}.
 */
public interface Cgroup {
    /** The cgroup's path below the hierarchy root: "jocker/ID". */
    String path();

    /**
     * Changes the limits of a cgroup in use (runc update): the memory, CPU,
     * cpuset and pids sections given; the device rules stay as they are.
     */
    void update(Resources resources);

    /** Whether its directory exists (one made earlier may have been removed since). */
    boolean exists();

    /** Moves a process, all its threads, into this cgroup (a write to cgroup.procs). */
    void add(long pid);

    /** Stops every process of the cgroup where it is (pause); returns once they are all stopped. */
    void freeze();

    /** Lets them run again (unpause). */
    void thaw();

    /** SIGKILL to every process of the cgroup, until none is left. */
    void killAll();

    /** The processes in the cgroup now (host pids). */
    List<Long> pids();

    CgroupStats stats();

    /** True when the kernel's OOM killer killed a process of this cgroup for its memory limit. */
    boolean oomKilled();

    /** Removes the cgroup; it must be empty, or this says which processes are still inside. */
    void delete();
}
// end::interface[]
