// Entry point of the Pulumi program (Pulumi.yaml: main: stacks/). Each key is a stack output.
import { platformProgram } from "./program";

export = platformProgram();
