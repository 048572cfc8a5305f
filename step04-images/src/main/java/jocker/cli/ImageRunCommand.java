package jocker.cli;

import jocker.image.Images;
import jocker.image.json.ImageConfig;
import jocker.image.store.ImageStore;
import jocker.layers.LayerStore;
import jocker.spec.Spec;
import jocker.spec.SpecBuilder;
import jocker.spec.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** step 4's run: run IMAGE [COMMAND...], the image's config filling the spec, the flags overriding it as docker's do. */
@Command(name = "run", sortOptions = false,
        description = "Run a command in a new container from an image (or from --layer, --rootfs, --bundle as before).")
public class ImageRunCommand extends LayeredRunCommand {
    @Option(names = "--entrypoint", paramLabel = "CMD", description = "Override the image's ENTRYPOINT (\"\" clears it).")
    String entrypoint;

    private ImageConfig.ContainerConfig imageConfig;

    // tag::run-image[]
    @Override
    protected jocker.runtime.Container container(String id) {
        if (rootfs == null && bundle == null && layerArgs.isEmpty()) {
            if (command.isEmpty()) {
                throw new SpecException("an IMAGE is required (or --rootfs, --layer, --bundle)");
            }
            String imageName = command.remove(0);
            try {
                Images images = new Images(root.dataRoot());
                ImageStore.Image image = images.store().resolve(imageName);
                for (LayerStore.Layer layer : images.layersOf(image)) {
                    layerArgs.add(layer.id());
                }
                imageConfig = image.config().config();
                this.image = image.id().toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return super.container(id);
    }

    /** The image's Entrypoint + Cmd, Env, WorkingDir and User first; then the flags, as in step 1. */
    @Override
    protected Spec specFor(String id, Path rootfsDir) {
        if (imageConfig == null) {
            return super.specFor(id, rootfsDir);
        }
        List<String> args = new ArrayList<>();
        if (entrypoint != null) {
            if (!entrypoint.isEmpty()) {
                args.add(entrypoint);
            }
        } else if (imageConfig.entrypoint() != null) {
            args.addAll(imageConfig.entrypoint());
        }
        // a command given replaces CMD; --entrypoint alone resets it, as docker does
        if (!command.isEmpty()) {
            args.addAll(command);
        } else if (entrypoint == null && imageConfig.cmd() != null) {
            args.addAll(imageConfig.cmd());
        }
        if (args.isEmpty()) {
            throw new SpecException("no command specified: the image has no CMD or ENTRYPOINT, and none was given");
        }
        SpecBuilder builder = SpecBuilder.docker(rootfsDir.toString(), args);
        if (imageConfig.env() != null) {
            builder.env(imageConfig.env());
        }
        if (imageConfig.workingDir() != null && !imageConfig.workingDir().isEmpty()) {
            builder.cwd(imageConfig.workingDir());
        }
        String user = imageConfig.user() == null || imageConfig.user().isEmpty() ? "0" : imageConfig.user();
        process.applyTo(builder, rootfsDir, id.substring(0, 12), user);
        return customize(builder.build());
    }
    // end::run-image[]
}
