package jocker.spec;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container spec: the subset of the OCI runtime spec's config.json
 * (github.com/opencontainers/runtime-spec, config.md and config-linux.md)
 * that step 1 acts on. Plain data with no behaviour besides defaults; the
 * record and field names are those of config.json, so a file made by
 * {@code runc spec} reads straight into it.
 *
 * <p>Sections a later step understands (linux.resources for cgroups, ...)
 * are kept, unread, in {@link Linux#extensions()}, so nothing in a bundle is
 * lost when a step reads and writes it back.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Spec(
        String ociVersion,
        Process process,
        Root root,
        String hostname,
        List<Mount> mounts,
        Linux linux,
        Map<String, String> annotations,
        Hooks hooks) {

    public static final String OCI_VERSION = "1.0.2";

    /** A spec without hooks. */
    public Spec(String ociVersion, Process process, Root root, String hostname, List<Mount> mounts, Linux linux,
                Map<String, String> annotations) {
        this(ociVersion, process, root, hostname, mounts, linux, annotations, null);
    }

    /** This spec with another linux section (how a step adds what it knows). */
    public Spec withLinux(Linux newLinux) {
        return new Spec(ociVersion, process, root, hostname, mounts, newLinux, annotations, hooks);
    }

    /** This spec with more mounts after its own. */
    public Spec withMounts(List<Mount> more) {
        List<Mount> all = new ArrayList<>(mounts);
        all.addAll(more);
        return new Spec(ociVersion, process, root, hostname, all, linux, annotations, hooks);
    }

    /** This spec with more annotations (later ones win). */
    public Spec withAnnotations(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(annotations);
        all.putAll(more);
        return new Spec(ociVersion, process, root, hostname, mounts, linux, all, hooks);
    }

    /**
     * Programs the runtime runs at points of the container's life, each
     * given the container's state as JSON on stdin (config.md, "POSIX-platform
     * Hooks"). jocker runs the host's: prestart and createRuntime once the
     * namespaces exist, poststart after start, poststop after delete.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Hooks(List<Hook> prestart, List<Hook> createRuntime, List<Hook> createContainer,
                        List<Hook> startContainer, List<Hook> poststart, List<Hook> poststop) {
        public Hooks {
            prestart = prestart == null ? List.of() : List.copyOf(prestart);
            createRuntime = createRuntime == null ? List.of() : List.copyOf(createRuntime);
            createContainer = createContainer == null ? List.of() : List.copyOf(createContainer);
            startContainer = startContainer == null ? List.of() : List.copyOf(startContainer);
            poststart = poststart == null ? List.of() : List.copyOf(poststart);
            poststop = poststop == null ? List.of() : List.copyOf(poststop);
        }
    }

    /** One hook: path is the program, args its argv (argv[0] included), env its environment, timeout in seconds. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Hook(String path, List<String> args, List<String> env, Integer timeout) {
        public Hook {
            args = args == null ? List.of() : List.copyOf(args);
            env = env == null ? List.of() : List.copyOf(env);
        }
    }

    public Spec {
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        annotations = annotations == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }

    /** The process to run: what execve(2) gets, and as whom. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Process(
            boolean terminal,
            User user,
            List<String> args,
            List<String> env,
            String cwd,
            Capabilities capabilities,
            List<Rlimit> rlimits,
            boolean noNewPrivileges,
            String apparmorProfile,
            String selinuxLabel,
            Integer oomScoreAdj) {

        /** A process without LSM labels (jocker applies none; see SpecConverter) and the inherited OOM score. */
        public Process(boolean terminal, User user, List<String> args, List<String> env, String cwd,
                       Capabilities capabilities, List<Rlimit> rlimits, boolean noNewPrivileges) {
            this(terminal, user, args, env, cwd, capabilities, rlimits, noNewPrivileges, null, null, null);
        }

        public Process {
            user = user == null ? new User(0, 0, null, List.of()) : user;
            args = args == null ? List.of() : List.copyOf(args);
            env = env == null ? List.of() : List.copyOf(env);
            cwd = cwd == null ? "/" : cwd;
            rlimits = rlimits == null ? List.of() : List.copyOf(rlimits);
        }
    }

    /** Numeric ids only: names are resolved before the spec is written (see UserResolver). */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record User(int uid, int gid, Integer umask, List<Integer> additionalGids) {
        public User {
            additionalGids = additionalGids == null ? List.of() : List.copyOf(additionalGids);
        }
    }

    /** Capability names ("CAP_CHOWN") for each of the five sets of capabilities(7). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Capabilities(
            List<String> bounding,
            List<String> effective,
            List<String> inheritable,
            List<String> permitted,
            List<String> ambient) {

        public Capabilities {
            bounding = bounding == null ? List.of() : List.copyOf(bounding);
            effective = effective == null ? List.of() : List.copyOf(effective);
            inheritable = inheritable == null ? List.of() : List.copyOf(inheritable);
            permitted = permitted == null ? List.of() : List.copyOf(permitted);
            ambient = ambient == null ? List.of() : List.copyOf(ambient);
        }
    }

    /** A resource limit (setrlimit(2)); values are unsigned 64-bit, so "unlimited" is -1 here. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Rlimit(
            String type,
            @JsonSerialize(using = Uint64.Writer.class) @JsonDeserialize(using = Uint64.Reader.class) long hard,
            @JsonSerialize(using = Uint64.Writer.class) @JsonDeserialize(using = Uint64.Reader.class) long soft) {
    }

    /** The root filesystem: a directory, relative to the bundle or absolute. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Root(String path, boolean readonly) {
    }

    /** One mount(2) inside the container; options are fstab-style ("nosuid", "mode=755"). */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Mount(String destination, String type, String source, List<String> options) {
        public Mount {
            options = options == null ? List.of() : List.copyOf(options);
        }
    }

    /** The Linux section: namespaces and the paths hidden or made read-only. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Linux(
            List<LinuxNamespace> namespaces,
            List<String> maskedPaths,
            List<String> readonlyPaths,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> extensions) {

        public Linux {
            namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
            maskedPaths = maskedPaths == null ? List.of() : List.copyOf(maskedPaths);
            readonlyPaths = readonlyPaths == null ? List.of() : List.copyOf(readonlyPaths);
            // insertion order kept so a bundle reads and writes back the same
            extensions = extensions == null ? Map.of() : new LinkedHashMap<>(extensions);
        }

        /** This section with one extension (resources, ...) set; value is a record or JSON-like maps. */
        public Linux withExtension(String name, Object value) {
            Map<String, Object> more = new LinkedHashMap<>(extensions);
            more.put(name, value);
            return new Linux(namespaces, maskedPaths, readonlyPaths, more);
        }
    }

    /** A namespace to create, or to join when path is set (setns(2)). */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LinuxNamespace(String type, String path) {
    }
}
