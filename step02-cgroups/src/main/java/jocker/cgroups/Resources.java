package jocker.cgroups;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import jocker.spec.Spec;
import jocker.spec.SpecException;
import jocker.sys.Json;

import java.util.List;

/**
 * The resource limits of a container: the {@code linux.resources} section
 * of the OCI runtime spec (config-linux.md), the part step 2 reads. Step 1
 * kept the section untouched in the spec's extensions; {@link #of} reads it
 * and {@link #into} writes it back.
 *
 * <p>Units are the kernel's: bytes, microseconds, CPU numbers.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Resources(Memory memory, Cpu cpu, Pids pids, List<DeviceRule> devices) {

    public static final String SECTION = "resources";

    public static final Resources NONE = new Resources(null, null, null, null);

    /**
     * @param limit       hard limit in bytes (docker --memory)
     * @param reservation soft limit in bytes (--memory-reservation)
     * @param swap        limit of memory plus swap, in bytes; -1 is unlimited (--memory-swap)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Memory(Long limit, Long reservation, Long swap) {
        /** 0 is "not set", as runc reads the spec (dockerd writes 0 for every limit not given). */
        public Memory {
            limit = unsetIfZero(limit);
            reservation = unsetIfZero(reservation);
            swap = unsetIfZero(swap);
        }
    }

    /**
     * @param shares relative weight, 2 to 262144 (--cpu-shares)
     * @param quota  microseconds of CPU time per period (--cpus times period)
     * @param period length of a period in microseconds (100000 for --cpus)
     * @param cpus   the CPUs allowed, a list like "0-2,4" (--cpuset-cpus)
     * @param mems   the memory nodes allowed (--cpuset-mems)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Cpu(Long shares, Long quota, Long period, String cpus, String mems) {
        /** 0 and "" are "not set", as runc reads the spec (dockerd writes "shares": 0 when -c is not given). */
        public Cpu {
            shares = unsetIfZero(shares);
            quota = unsetIfZero(quota);
            period = unsetIfZero(period);
            cpus = cpus == null || cpus.isEmpty() ? null : cpus;
            mems = mems == null || mems.isEmpty() ? null : mems;
        }
    }

    private static Long unsetIfZero(Long value) {
        return value != null && value == 0 ? null : value;
    }

    /** @param limit most tasks (processes and threads) at once; 0 or less is unlimited (--pids-limit) */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Pids(long limit) {
    }

    /**
     * A device cgroup rule: allow or deny access ("rwm": read, write, mknod)
     * to character ("c") or block ("b") devices, or all ("a"); a null major or
     * minor matches any.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {
        public DeviceRule {
            type = type == null ? "a" : type;
            access = access == null ? "rwm" : access;
        }

        public static DeviceRule allow(String type, Long major, Long minor, String access) {
            return new DeviceRule(true, type, major, minor, access);
        }

        /** The rule as the v1 devices cgroup writes it: "c 1:3 rwm", "a *:* rwm". */
        public String v1Line() {
            return type + " " + (major == null || major < 0 ? "*" : major) + ":"
                    + (minor == null || minor < 0 ? "*" : minor) + " " + access;
        }
    }

    public Resources {
        devices = devices == null ? null : List.copyOf(devices);
    }

    public Resources withDevices(List<DeviceRule> rules) {
        return new Resources(memory, cpu, pids, rules);
    }


    /** The resources section of a spec, or {@link #NONE}. */
    public static Resources of(Spec spec) {
        Object section = spec.linux() == null ? null : spec.linux().extensions().get(SECTION);
        if (section == null) {
            return NONE;
        }
        if (section instanceof Resources resources) {
            return resources; // set by the flags: no JSON on this path, Jackson costs ~100 ms to load
        }
        try {
            return Json.MAPPER.convertValue(section, Resources.class);
        } catch (IllegalArgumentException e) {
            throw new SpecException("linux.resources: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** The spec with this as its resources section. */
    public Spec into(Spec spec) {
        Spec.Linux linux = spec.linux() == null ? new Spec.Linux(null, null, null, null) : spec.linux();
        return spec.withLinux(linux.withExtension(SECTION, this));
    }
}
