package jocker.volumes;

import java.util.List;
import java.util.Map;

/**
 * One mount a run asks for, whichever flag said it (-v, --mount, --tmpfs,
 * --volumes-from, an image VOLUME): docker's mount.Mount, checked.
 *
 * @param type        bind, volume or tmpfs
 * @param source      bind: the host path; volume: the name, null for an anonymous one
 * @param target      where in the container, cleaned
 * @param propagation bind: private, rprivate, slave, rslave, shared, rshared (rprivate if not said)
 * @param noCopy      volume: do not fill an empty volume with what the image has at target
 * @param createSource bind: make the host directory if it is missing (-v does, --mount does not)
 * @param recursive   bind: the mounts under the source come too (rbind); bind-recursive=disabled: not
 * @param recursiveReadOnly whether read-only reaches the mounts under it: "auto" (if the kernel can),
 *                    "writable" (bind-recursive=writable: top mount only), "readonly" (required)
 * @param tmpfsData   tmpfs: the options, docker's defaults first (noexec,nosuid,nodev), later ones winning
 */
public record MountRequest(String type, String source, String target, boolean readOnly, String propagation,
                           boolean noCopy, boolean createSource, boolean recursive, String recursiveReadOnly,
                           Map<String, String> volumeLabels, Map<String, String> volumeOptions,
                           List<String> tmpfsData) {
    public MountRequest {
        volumeLabels = volumeLabels == null ? Map.of() : Map.copyOf(volumeLabels);
        volumeOptions = volumeOptions == null ? Map.of() : Map.copyOf(volumeOptions);
        tmpfsData = tmpfsData == null ? List.of() : List.copyOf(tmpfsData);
    }

    public static MountRequest volume(String name, String target, boolean readOnly, boolean noCopy) {
        return new MountRequest("volume", name, target, readOnly, null, noCopy, false, true, "auto", null, null, null);
    }

    public static MountRequest bind(String source, String target, boolean readOnly, String propagation) {
        return new MountRequest("bind", source, target, readOnly, propagation, false, false, true, "auto", null, null,
                null);
    }
}
