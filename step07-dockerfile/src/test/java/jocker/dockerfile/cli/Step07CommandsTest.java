package jocker.dockerfile.cli;

import jocker.cli.QuickVerbs;
import jocker.cli.StepParts;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The last step's command list, which holds every earlier step's commands too (StepParts.extend). */
class Step07CommandsTest {
    @Test
    void noStepGivesAQuickVerbsNameAMeaningOfItsOwn() {
        List<String> clashes = new ArrayList<>();
        for (Class<?> command : new Step07().commands()) {
            if (QuickVerbs.verbs().contains(StepParts.name(command))) {
                clashes.add(StepParts.name(command) + " (" + command.getName() + ")");
            }
        }
        assertEquals(List.of(), clashes, "these would run the runtime's verb, not the step's (see QuickVerbs.verbs)");
    }

    @Test
    void eachNameIsOneCommand() {
        List<String> names = new Step07().commands().stream().map(StepParts::name).toList();
        assertEquals(names.stream().distinct().toList(), names);
        assertEquals(List.of("run", "build"), names.subList(0, 2), "run first, then the step's own: docker's help order");
    }
}
