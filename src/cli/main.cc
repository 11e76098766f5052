// SPDX-License-Identifier: MIT
// salesbox: a sales execution system. The subcommands live in cli/commands/.
#include "cli/command.h"

int main(int argc, char** argv) { return salesbox::cli::Main(argc, argv); }
