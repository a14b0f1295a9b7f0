// A shared library without the bcmap entry point.
extern "C" __attribute__((visibility("default"))) int not_a_plugin(void) { return 42; }
