#!/bin/sh
echo "$GREETING: built by step 7"
