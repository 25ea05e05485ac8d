// libedit's readline-compatible interface. Include editline/readline.h, never GNU
// readline's header of the same name: both are installed on Debian machines.
#include <stdio.h>
#include <editline/readline.h>
