package jocker.namespaces;

import java.util.List;
import java.util.Map;

/**
 * The uid or gid map of a user namespace (linux.uidMappings,
 * linux.gidMappings): ranges of ids inside that stand for ranges outside.
 * With {@code 0 100000 65536}, root in the container is uid 100000 on the
 * host, and owns nothing of the host's.
 */
public record IdMap(List<Range> ranges) {

    /** containerId .. containerId+size-1 inside are hostId .. hostId+size-1 outside. */
    public record Range(long containerId, long hostId, long size) {
        /** "0 1000 1000": a line of the /proc map file. */
        String line() {
            return containerId + " " + hostId + " " + size;
        }
    }

    public IdMap {
        ranges = List.copyOf(ranges);
    }

    // tag::id-map[]
    /** The text written, in one write(2), to /proc/PID/uid_map or gid_map: a line per range. */
    public String procFormat() {
        StringBuilder text = new StringBuilder();
        for (Range r : ranges) {
            text.append(r.line()).append('\n');
        }
        return text.toString();
    }

    /** The host's id for a container id, or -1 when no range holds it. */
    public long toHost(long containerId) {
        for (Range r : ranges) {
            if (containerId >= r.containerId() && containerId - r.containerId() < r.size()) {
                return r.hostId() + (containerId - r.containerId());
            }
        }
        return -1;
    }
    // end::id-map[]

    /** The kernel takes at most 340 lines (5 before Linux 4.15). */
    private static final int MAX_RANGES = 340;
    private static final long MAX_ID = 0xFFFFFFFFL;

    /**
     * Parses linux.uidMappings or gidMappings as the spec writes them
     * ({@code [{"containerID": 0, "hostID": 1000, "size": 1000}]}); the error
     * names the field and the bad entry. Overlapping ranges are refused here,
     * as the kernel would refuse them, with a clearer message.
     */
    public static IdMap parse(Object section, String field) {
        if (!(section instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("linux." + field + " must be a non-empty list of"
                    + " {containerID, hostID, size}");
        }
        if (list.size() > MAX_RANGES) {
            throw new IllegalArgumentException("linux." + field + " has " + list.size() + " ranges; the kernel takes at most "
                    + MAX_RANGES);
        }
        List<Range> ranges = list.stream().map(o -> range(o, field)).toList();
        for (int i = 0; i < ranges.size(); i++) {
            for (int j = i + 1; j < ranges.size(); j++) {
                Range a = ranges.get(i);
                Range b = ranges.get(j);
                if (overlap(a.containerId(), b.containerId(), a.size(), b.size())
                        || overlap(a.hostId(), b.hostId(), a.size(), b.size())) {
                    throw new IllegalArgumentException("linux." + field + ": ranges " + a.line() + " and "
                            + b.line() + " overlap");
                }
            }
        }
        return new IdMap(ranges);
    }

    private static boolean overlap(long a, long b, long sizeA, long sizeB) {
        return a < b + sizeB && b < a + sizeA;
    }

    private static Range range(Object o, String field) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("linux." + field + " entry " + o + " is not an object");
        }
        long container = id(m, "containerID", field);
        long host = id(m, "hostID", field);
        long size = id(m, "size", field);
        if (size == 0 || container + size - 1 > MAX_ID || host + size - 1 > MAX_ID) {
            throw new IllegalArgumentException("linux." + field + " entry " + m + ": size must be at least 1 and the"
                    + " range within 32-bit ids");
        }
        return new Range(container, host, size);
    }

    private static long id(Map<?, ?> m, String key, String field) {
        if (!(m.get(key) instanceof Number n) || n.longValue() < 0 || n.longValue() > MAX_ID
                || n.doubleValue() != Math.floor(n.doubleValue())) {
            throw new IllegalArgumentException("linux." + field + " entry " + m + ": " + key
                    + " is missing or not an id (0 to 4294967295)");
        }
        return n.longValue();
    }
}
