"""Where events live besides memory: the reopen cache of files already read."""
