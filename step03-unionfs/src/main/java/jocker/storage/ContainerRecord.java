package jocker.storage;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * What the store knows of a container: containers/ID/container.json.
 *
 * @param layers     layer ids, bottom first
 * @param autoRemove --rm: its writable layer goes when it ends
 * @param ownerPid   the step03 process running it now, or 0; with ownerStart
 *                   (its start time in /proc/PID/stat) so a reused pid is not mistaken for it
 * @param image      the image it was made from (its id), or null (from step 4 on)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerRecord(String id, String name, String driver, List<String> layers, boolean autoRemove,
                              long ownerPid, long ownerStart, String created, String image) {
    public ContainerRecord {
        layers = List.copyOf(layers);
    }

    public ContainerRecord owned(long pid, long start) {
        return new ContainerRecord(id, name, driver, layers, autoRemove, pid, start, created, image);
    }

    public String shortId() {
        return id.substring(0, 12);
    }
}
