# plugins/plugins.mk - the built-in methods, one folder each.
methoddir = @methoddir@
