package jocker.cgroups;

import jocker.spec.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The device rules docker gives every container (moby oci/defaults.go). */
public final class DeviceRules {
    private DeviceRules() {}

    // tag::device-rules[]
    /**
     * Devices a container may always use: the nodes step 1 creates in /dev,
     * the terminal devices, and mknod (but not use) of any device. runc adds
     * these after the spec's own rules, so even "deny everything" keeps
     * /dev/null working.
     */
    public static final List<Resources.DeviceRule> ALWAYS_ALLOWED = List.of(
            Resources.DeviceRule.allow("c", null, null, "m"),
            Resources.DeviceRule.allow("b", null, null, "m"),
            Resources.DeviceRule.allow("c", 1L, 3L, "rwm"),     // null
            Resources.DeviceRule.allow("c", 1L, 5L, "rwm"),     // zero
            Resources.DeviceRule.allow("c", 1L, 7L, "rwm"),     // full
            Resources.DeviceRule.allow("c", 1L, 8L, "rwm"),     // random
            Resources.DeviceRule.allow("c", 1L, 9L, "rwm"),     // urandom
            Resources.DeviceRule.allow("c", 5L, 0L, "rwm"),     // tty
            Resources.DeviceRule.allow("c", 5L, 1L, "rwm"),     // console
            Resources.DeviceRule.allow("c", 5L, 2L, "rwm"),     // ptmx
            Resources.DeviceRule.allow("c", 136L, null, "rwm")); // pts/*

    /** docker's spec: everything denied first. */
    public static final List<Resources.DeviceRule> DOCKER_DEFAULT =
            List.of(new Resources.DeviceRule(false, "a", null, null, "rwm"));
    // end::device-rules[]

    /** The spec's rules followed by the ones always allowed. */
    public static List<Resources.DeviceRule> effective(List<Resources.DeviceRule> fromSpec) {
        List<Resources.DeviceRule> rules = new ArrayList<>(fromSpec == null ? DOCKER_DEFAULT : fromSpec);
        rules.addAll(ALWAYS_ALLOWED);
        return rules;
    }

    /**
     * The same, plus the device nodes the spec itself puts in the container
     * (linux.devices): a container may use what it was given, as runc rules.
     */
    public static List<Resources.DeviceRule> effective(List<Resources.DeviceRule> fromSpec, Spec spec) {
        List<Resources.DeviceRule> rules = effective(fromSpec);
        Object devices = spec.linux() == null ? null : spec.linux().extensions().get("devices");
        if (devices instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> d && d.get("major") instanceof Number major
                        && d.get("minor") instanceof Number minor && !"p".equals(d.get("type"))) {
                    String type = "b".equals(d.get("type")) ? "b" : "c";
                    rules.add(Resources.DeviceRule.allow(type, major.longValue(), minor.longValue(), "rwm"));
                }
            }
        }
        return rules;
    }
}
