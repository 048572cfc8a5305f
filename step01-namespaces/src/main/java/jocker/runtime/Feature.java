package jocker.runtime;

/**
 * How a step adds itself to the run of a container without editing the
 * runner: step 2 adds cgroups, step 6 the network, ... Every method has a
 * default that does nothing. The runner calls them in order, and calls
 * {@link #cleanup} for every feature whose {@link #prepare} ran, whatever
 * happened in between.
 */
public interface Feature {
    /** On the host, before the container's init starts (create a cgroup, a veth ...). */
    default void prepare(Container container) {}

    /**
     * The init process exists (pid is its host pid) but is still waiting for
     * its config: no code of the container has run yet. The place to put it
     * in a cgroup, or move a network interface into its namespace.
     */
    default void started(Container container, long pid) {}

    /** The container has exited (or never started): undo what prepare and started did. */
    default void cleanup(Container container) {}
}
