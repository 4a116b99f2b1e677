/* pipeline_find.h - what the FILE of `axle run FILE` names, so that a user
 * who only installed axle can say `axle run thumbnails`. */
#ifndef AXLE_PIPELINE_FIND_H
#define AXLE_PIPELINE_FIND_H

/* `file` itself when it is a path (has a '/' or ends in .yaml or .yml) or
 * names something other than a folder in the current folder; otherwise, a
 * bare NAME: NAME.yaml from the folders of AXLE_PIPELINE_PATH
 * (colon-separated, in order), then from the ready pipelines' folder
 * (datadir.h).  malloc'd; NULL after an error saying where it looked. */
char *pipeline_find(const char *file);

#endif
