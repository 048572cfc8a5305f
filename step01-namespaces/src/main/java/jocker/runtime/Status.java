package jocker.runtime;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

// tag::status[]
/**
 * A container's status, as the OCI runtime spec names it, and the one place
 * that says which operation each status allows (runc and youki keep the
 * same table). "paused" is runc's addition, for the cgroup freezer.
 *
 * <pre>
 *   creating --create--> created --start--> running --exit--> stopped --delete--> (gone)
 *                           |                  | ^                  ^
 *                           |           pause  v | resume           |
 *                           |                paused                 |
 *                           +-----------kill / init dies------------+
 * </pre>
 */
public enum Status {
    /** The runtime is setting it up; nothing about it is certain yet. */
    CREATING,
    /** Set up, its init waiting for start: the user's program has not run. */
    CREATED,
    /** The user's program runs (it is the init now). */
    RUNNING,
    /** Every process frozen in its cgroup. */
    PAUSED,
    /** The init has exited; what is left is its state and its resources. */
    STOPPED;

    /** As in the OCI state JSON: "created", "running" ... */
    @JsonValue
    public String ociName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Status fromOci(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    public boolean canStart() {
        return this == CREATED;
    }

    /** Signals reach created, running and paused containers (a paused one handles them once thawed). */
    public boolean canKill() {
        return this == CREATED || this == RUNNING || this == PAUSED;
    }

    public boolean canPause() {
        return this == RUNNING;
    }

    public boolean canResume() {
        return this == PAUSED;
    }

    /**
     * Delete without --force: only a stopped container, as the OCI spec
     * says (runc also deletes a created one; --force does that here).
     */
    public boolean canDelete() {
        return this == STOPPED;
    }
}
// end::status[]
