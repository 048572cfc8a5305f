package jocker.image.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jocker.image.Digest;

import java.util.List;
import java.util.Map;

/**
 * An image's config blob (image-spec config.md): how to run it, and the
 * digests of its layers uncompressed (diff ids), bottom first.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"created", "author", "architecture", "os", "variant", "config", "rootfs", "history"})
public record ImageConfig(String created, String author, String architecture, String os, String variant,
                          ContainerConfig config, RootFs rootfs, List<History> history) {
    public ImageConfig {
        history = history == null ? List.of() : List.copyOf(history);
        config = config == null ? ContainerConfig.EMPTY : config;
    }

    /** The run-time defaults: docker's capitalised names. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Healthcheck", "Volumes", "WorkingDir", "OnBuild",
            "Labels", "StopSignal"})
    public record ContainerConfig(
            @JsonProperty("User") String user,
            @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
            @JsonProperty("Env") List<String> env,
            @JsonProperty("Entrypoint") List<String> entrypoint,
            @JsonProperty("Cmd") List<String> cmd,
            @JsonProperty("Volumes") Map<String, Object> volumes,
            @JsonProperty("WorkingDir") String workingDir,
            @JsonProperty("Labels") Map<String, String> labels,
            @JsonProperty("StopSignal") String stopSignal,
            @JsonProperty("Healthcheck") HealthConfig healthcheck,
            @JsonProperty("OnBuild") List<String> onBuild) {
        public static final ContainerConfig EMPTY = new ContainerConfig(null, null, null, null, null, null, null, null, null);

        /** A config without a healthcheck or ONBUILD triggers. */
        public ContainerConfig(String user, Map<String, Object> exposedPorts, List<String> env, List<String> entrypoint,
                               List<String> cmd, Map<String, Object> volumes, String workingDir, Map<String, String> labels,
                               String stopSignal) {
            this(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal, null, null);
        }
    }

    /** HEALTHCHECK: the test (["CMD", ...], ["CMD-SHELL", line], ["NONE"]) and its timing in nanoseconds. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"Test", "Interval", "Timeout", "StartPeriod", "StartInterval", "Retries"})
    public record HealthConfig(@JsonProperty("Test") List<String> test, @JsonProperty("Interval") Long interval,
                               @JsonProperty("Timeout") Long timeout, @JsonProperty("StartPeriod") Long startPeriod,
                               @JsonProperty("StartInterval") Long startInterval, @JsonProperty("Retries") Integer retries) {
    }

    @JsonPropertyOrder({"type", "diff_ids"})
    public record RootFs(String type, @JsonProperty("diff_ids") List<Digest> diffIds) {
        public RootFs {
            diffIds = Json.entries(diffIds, "rootfs.diff_ids");
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"created", "created_by", "author", "comment", "empty_layer"})
    public record History(String created, @JsonProperty("created_by") String createdBy, String author, String comment,
                          @JsonProperty("empty_layer") Boolean emptyLayer) {
    }

    public List<Digest> diffIds() {
        return rootfs == null ? List.of() : rootfs.diffIds();
    }
}
