// Node's process, all the scripts use of it: the tests install no @types/node.
declare const process: { argv: string[]; exit(code: number): never };
