package jocker.image.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jocker.image.Digest;

import java.util.List;
import java.util.Map;

/** An OCI content descriptor: what a blob is, its digest and size (image-spec descriptor.md). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"mediaType", "digest", "size", "platform", "annotations", "urls"})
public record Descriptor(String mediaType, Digest digest, long size, PlatformJson platform,
                         Map<String, String> annotations, List<String> urls) {
    public Descriptor {
        Json.required(digest, "a descriptor's digest");
        if (size < 0) {
            throw new IllegalArgumentException("descriptor " + digest + " has a negative size");
        }
    }


    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest, size, null, null, null);
    }

    public Descriptor withAnnotations(Map<String, String> a) {
        return new Descriptor(mediaType, digest, size, platform, a, urls);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"architecture", "os", "variant"})
    public record PlatformJson(String architecture, String os, String variant) {
    }
}
