package jocker.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the runtime records of one container, in its state directory's
 * state.json: the OCI state (id, status, pid, bundle, annotations), plus
 * what makes the pid trustworthy (the init's start time) and runc's extras
 * (rootfs, created). The recorded status is what the runtime last did to
 * the container; {@link Lifecycle#state} checks it against the kernel
 * before anyone believes it.
 *
 * @param pid           the init's host pid; 0 while creating
 * @param initStartTime the init's start time, in clock ticks since boot (see InitProcess)
 * @param created       when create began, RFC 3339 in UTC
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record State(String ociVersion, String id, Status status, int pid, long initStartTime, String bundle,
                    String rootfs, String created, Map<String, String> annotations) {

    public State {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public State withStatus(Status newStatus) {
        return new State(ociVersion, id, newStatus, pid, initStartTime, bundle, rootfs, created, annotations);
    }

    public State withInit(InitProcess init) {
        return new State(ociVersion, id, status, init.pid(), init.startTime(), bundle, rootfs, created, annotations);
    }

    public InitProcess init() {
        return pid == 0 ? null : new InitProcess(pid, initStartTime);
    }

    // tag::oci-state[]
    /** The state as the OCI runtime spec's `state` operation prints it (with runc's extra fields). */
    public Map<String, Object> toOci() {
        Map<String, Object> oci = new LinkedHashMap<>();
        oci.put("ociVersion", ociVersion);
        oci.put("id", id);
        oci.put("pid", status == Status.STOPPED ? 0 : pid); // no process is the container's any more
        oci.put("status", status.ociName());
        oci.put("bundle", bundle);
        oci.put("rootfs", rootfs);
        oci.put("created", created);
        oci.put("owner", "");
        if (!annotations.isEmpty()) {
            oci.put("annotations", new TreeMap<>(annotations));
        }
        return oci;
    }
    // end::oci-state[]
}
