package main

import "errors"

var errNoScenarios = errors.New("scenario runs are not available yet")
