package jocker.cli;

import jocker.capabilities.Capability;
import jocker.mounts.MountFlags;
import jocker.namespaces.Namespace;
import jocker.spec.Spec;
import jocker.sys.Json;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code features}: what this runtime supports, in the JSON runc prints
 * (the OCI runtime spec's features.md), so engines can ask instead of guess.
 */
@Command(name = "features", description = "Print what this runtime supports, as JSON (runc features).")
public class FeaturesCommand extends RuntimeVerb {
    @Override
    public Integer call() throws IOException {
        Map<String, Object> features = new LinkedHashMap<>();
        features.put("ociVersionMin", "1.0.0");
        features.put("ociVersionMax", Spec.OCI_VERSION);
        features.put("hooks", List.of());
        features.put("mountOptions", MountFlags.names());
        Map<String, Object> linux = new LinkedHashMap<>();
        List<String> namespaces = new ArrayList<>();
        for (Namespace ns : Namespace.values()) {
            namespaces.add(ns.ociName());
        }
        linux.put("namespaces", namespaces);
        List<String> caps = new ArrayList<>();
        for (Capability c : Capability.values()) {
            caps.add(c.ociName());
        }
        linux.put("capabilities", caps);
        // from step 2 on, a feature applies linux.resources: cgroups, v1 or v2 as the host has them
        boolean cgroups = lifecycle().features().stream().anyMatch(f -> f.linuxSections().contains("resources"));
        linux.put("cgroup", Map.of("v1", cgroups, "v2", cgroups, "systemd", false, "systemdUser", false));
        linux.put("seccomp", Map.of("enabled", true, "actions", List.of("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO",
                "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP", "SCMP_ACT_TRACE",
                "SCMP_ACT_LOG"), "operators", List.of("SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
                "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"), "archs", List.of("SCMP_ARCH_X86_64")));
        linux.put("apparmor", Map.of("enabled", false));
        linux.put("selinux", Map.of("enabled", false));
        features.put("linux", linux);
        Map<String, Object> annotations = new LinkedHashMap<>();
        annotations.put("org.opencontainers.runtime-spec.features", "jocker");
        features.put("annotations", annotations);
        out().println(Json.PRETTY.writeValueAsString(features));
        return 0;
    }
}
