package jocker.runtime;

import java.util.List;
import java.util.Set;

/**
 * How a step adds itself to a container's life without editing the
 * runtime: step 2 adds cgroups, step 6 the network, ... Every method has a
 * default that does nothing. {@link Lifecycle} calls them in order, and
 * calls {@link #cleanup} for every feature whose {@link #prepare} ran,
 * whatever happened in between.
 *
 * <p>create and delete may be two commands, minutes apart: a feature keeps
 * nothing in memory that cleanup needs, it finds it again from the
 * container (its id and spec).
 */
public interface Feature {
    /**
     * The linux.* sections of a spec this feature applies ("resources" for
     * step 2's cgroups ...). A section no part of the runtime applies is
     * refused, never ignored.
     */
    default Set<String> linuxSections() {
        return Set.of();
    }

    /** On the host, before the container's init starts (create a cgroup, a veth ...). */
    default void prepare(Container container) {}

    /**
     * The init process exists (pid is its host pid) but is still waiting for
     * its config: no code of the container has run yet. The place to put it
     * in a cgroup, or move a network interface into its namespace.
     */
    default void started(Container container, long pid) {}

    /** The container is being deleted (it has exited, or never started): undo what prepare and started did. */
    default void cleanup(Container container) {}

    /**
     * Every process of the container (host pids), if this feature knows them
     * (a cgroup does); null if it does not. For {@code kill --all} and {@code ps}.
     */
    default List<Long> processes(Container container) {
        return null;
    }

    /**
     * Applies new linux.resources (JSON-like maps) to the running container
     * (runc update), if this feature can (a cgroup can); false if it cannot.
     */
    default boolean update(Container container, Object resources) {
        return false;
    }

    /**
     * Freezes (pause) or thaws (resume) every process of the container, if
     * this feature can (a cgroup freezer can); false if it cannot.
     */
    default boolean freeze(Container container, boolean frozen) {
        return false;
    }
}
