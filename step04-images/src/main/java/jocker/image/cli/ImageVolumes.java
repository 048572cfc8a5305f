package jocker.image.cli;

import jocker.cli.RunCommand;
import jocker.spec.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Who makes an image's VOLUMEs into mounts: step 4's run part (a directory
 * of the container's own for each), until a later step's part takes it over
 * (step 5's anonymous volumes). The last part of a run that is one does it.
 */
public interface ImageVolumes {
    /** Mounts for the image's volume paths; rootfsDir can be read (what the image holds there), containerDir is the container's. */
    List<Spec.Mount> imageVolumes(RunCommand.Request run, Set<String> paths, Path rootfsDir, Path containerDir);
}
