/* datadir.h - where the files axle ships are: the method template and the
 * ready pipelines with their sample images.  Installed, they are in the
 * data folder (configure's pkgdatadir, e.g. /usr/local/share/axle); an
 * axle run from its build tree (the tests, a developer) uses the source
 * tree's instead, so it never meets an older installed copy. */
#ifndef AXLE_DATADIR_H
#define AXLE_DATADIR_H

/* The folder the method template is in (pkgdatadir/template, or
 * sdk/template of the source tree).  malloc'd. */
char *datadir_template(void);

/* The folder of the ready pipelines (pkgdatadir/pipelines, or pipelines/
 * of the source tree).  malloc'd. */
char *datadir_pipelines(void);

#endif
