#!/bin/sh
# `axle run NAME`: a bare pipeline name (no '/', no .yaml, no such file
# here) is NAME.yaml from AXLE_PIPELINE_PATH's folders, then from the
# ready pipelines (the source tree's, for an axle run from its build
# tree); paths in it resolve against its own folder.  A file of that name
# in the current folder still wins, and -p takes a name too.
. "$AXLE_SRCDIR/tests/lib.sh"

mkdir -p shelf/imgs other
cp "$AXLE_SRCDIR/pipelines/samples/tiny.jpg" "$AXLE_SRCDIR/pipelines/samples/meadow.webp" shelf/imgs/
cat > shelf/mine.yaml <<'YAML'
params:
  input: imgs
jobs:
  import:
    method: import_images
    options: {files: "${input}"}
YAML
cat > other/mine.yaml <<'YAML'
jobs:
  import:
    method: import_images
    options: {files: nowhere}
YAML

AXLE_PIPELINE_PATH="$PWD/shelf:$PWD/other" "$AXLE" run mine --slices 2 > out 2> err
is $? 0 "axle run mine finds mine.yaml in AXLE_PIPELINE_PATH"
contains out '"images":2' "its input resolves against its own folder (shelf/imgs)"
AXLE_PIPELINE_PATH="$PWD/shelf:$PWD/other" "$AXLE" job import -p mine > job.txt 2>&1
is $? 0 "-p takes the bare name too"

AXLE_PIPELINE_PATH="$PWD/empty:$PWD/shelf" "$AXLE" run mine > out 2> err
is $? 0 "folders are searched in order, missing ones passed over"

cp shelf/mine.yaml mine
sed -i 's/input: imgs/input: shelf\/imgs/' mine
AXLE_PIPELINE_PATH="$PWD/other" "$AXLE" run mine > out 2> err
is $? 0 "a file named mine in the current folder wins over the path"

src=$(cd "$AXLE_SRCDIR" && pwd)
AXLE_PIPELINE_PATH="$PWD/shelf" "$AXLE" run nothing_like_it > out 2> err
is $? 2 "an unknown name is a load error (exit 2)"
contains err "no pipeline 'nothing_like_it': no such file here, nor nothing_like_it.yaml in AXLE_PIPELINE_PATH ($PWD/shelf) or $src/pipelines" \
    "saying where it looked"
"$AXLE" run shelf/nothing.yaml > out 2> err
is $? 2 "a path is never looked up"
contains err "shelf/nothing.yaml" "and the error names it as given"

# The ready pipelines: thumbnails, with its samples, as installed users
# get it (here the source tree's, for this axle runs from its build).
mkdir thumbnails   # a folder of that name here is not a pipeline file
"$AXLE" run thumbnails --slices 2 > out 2> err
is $? 0 "axle run thumbnails runs the ready pipeline"
n=$(find "$AXLE_SRCDIR/pipelines/samples" -type f | wc -l)
contains out "\"images\":$n" "on its sample images"
"$AXLE" run thumbnails input=shelf/imgs --slices 2 > out 2> err
contains out '"images":2' "input= given on the command line resolves against the current folder"
done_testing
