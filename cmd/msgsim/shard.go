package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"msgsim/results"
)

// A shard is one of n deterministic parts of a replication set or of a sweep: the jobs
// (point, replication) are numbered in the order one machine would run them, and shard i
// of n takes those whose number k has k mod n = i (interleaved, so that expensive points
// — the high loads at the end of a sweep — spread over all shards). Each shard writes a
// directory that `msgsim merge` combines into exactly what one machine would have written.

// shardSpec is --shard i/n; n = 0 means no sharding.
type shardSpec struct{ i, n int }

// shardEnv are the variables `--shard auto/n` reads the index from, in order: a
// Kubernetes Indexed Job's completion index, a Slurm job array's task id.
var shardEnv = []string{"JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"}

// parseShard reads "i/n" (0 ≤ i < n) or "auto/n", which takes i from the first of
// JOB_COMPLETION_INDEX and SLURM_ARRAY_TASK_ID that is set (a Slurm array not starting at
// 0 is shifted by SLURM_ARRAY_TASK_MIN). "" is no sharding.
func parseShard(s string, getenv func(string) string) (shardSpec, error) {
	if s == "" {
		return shardSpec{}, nil
	}
	is, ns, ok := strings.Cut(s, "/")
	n, err := strconv.Atoi(ns)
	if !ok || err != nil || n < 1 {
		return shardSpec{}, fmt.Errorf("--shard %q: want i/n or auto/n with n ≥ 1", s)
	}
	if is == "auto" {
		for _, name := range shardEnv {
			v := getenv(name)
			if v == "" {
				continue
			}
			i, err := strconv.Atoi(v)
			if err != nil {
				return shardSpec{}, fmt.Errorf("--shard auto: %s=%q is not an integer", name, v)
			}
			if name == "SLURM_ARRAY_TASK_ID" {
				if m, err := strconv.Atoi(getenv("SLURM_ARRAY_TASK_MIN")); err == nil {
					i -= m
				}
			}
			if i < 0 || i >= n {
				return shardSpec{}, fmt.Errorf("--shard auto/%d: %s gives shard %d, want 0..%d", n, name, i, n-1)
			}
			return shardSpec{i: i, n: n}, nil
		}
		return shardSpec{}, fmt.Errorf("--shard auto/%d: neither %s is set", n, strings.Join(shardEnv, " nor "))
	}
	i, err := strconv.Atoi(is)
	if err != nil || i < 0 || i >= n {
		return shardSpec{}, fmt.Errorf("--shard %q: the index must be an integer in 0..%d", s, n-1)
	}
	return shardSpec{i: i, n: n}, nil
}

func (s shardSpec) active() bool { return s.n > 0 }

// owns reports whether job number k belongs to this shard.
func (s shardSpec) owns(k int) bool { return s.n == 0 || k%s.n == s.i }

func (s shardSpec) String() string { return strconv.Itoa(s.i) + "/" + strconv.Itoa(s.n) }

// shardManifestVersion is the version of manifest.json.
const shardManifestVersion = 1

// shardManifest is a shard directory's manifest.json: what was run and which part of it.
// Shards merge only when everything but Shard and Jobs agrees.
type shardManifest struct {
	Format   int      `json:"msgsim_shard"`
	Version  string   `json:"msgsim_version"`
	Kind     string   `json:"kind"` // "run" or "sweep"
	Scenario string   `json:"scenario"`
	Source   string   `json:"source"` // the SCENARIO argument
	Variant  string   `json:"variant,omitempty"`
	Sets     []string `json:"sets"`
	// Params and Points are a sweep's parameter paths and each point's values.
	Params []string   `json:"params,omitempty"`
	Points [][]string `json:"points,omitempty"`
	// Replications is the number of replications of each point (a run: one point).
	Replications []int `json:"replications"`
	Shard        int   `json:"shard"`
	Shards       int   `json:"shards"`
	// Jobs are the (point, replication) pairs this shard ran, in job order.
	Jobs [][2]int `json:"jobs"`
}

// shardRunFile names a replication's Run inside a shard directory.
func shardRunFile(point, rep int) string {
	return filepath.Join("runs", fmt.Sprintf("point-%04d-rep-%05d.json", point, rep))
}

// writeShardDir writes manifest.json, scenario.yaml (the resolved scenario of the first
// point) and one JSON file per Run (with its histograms and series, so merging is exact).
func writeShardDir(dir string, m *shardManifest, resolved []byte, runs []*results.Run) error {
	if err := os.MkdirAll(filepath.Join(dir, "runs"), 0o755); err != nil {
		return err
	}
	for i, r := range runs {
		js, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("encoding run: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, shardRunFile(m.Jobs[i][0], m.Jobs[i][1])), js, 0o644); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "scenario.yaml"), resolved, 0o644); err != nil {
		return err
	}
	js, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	// The manifest last: a directory with a manifest is complete.
	return os.WriteFile(filepath.Join(dir, "manifest.json"), append(js, '\n'), 0o644)
}

// readShardManifest reads dir/manifest.json.
func readShardManifest(dir string) (*shardManifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, fmt.Errorf("%s: not a shard directory: %w", dir, err)
	}
	var m shardManifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s/manifest.json: %w", dir, err)
	}
	if m.Format != shardManifestVersion {
		return nil, fmt.Errorf("%s/manifest.json: shard format %d, want %d", dir, m.Format, shardManifestVersion)
	}
	if len(m.Replications) == 0 || m.Shards < 1 || m.Shard < 0 || m.Shard >= m.Shards {
		return nil, fmt.Errorf("%s/manifest.json: incomplete manifest", dir)
	}
	return &m, nil
}

// readShardRun reads one replication's Run from a shard directory.
func readShardRun(dir string, point, rep int) (*results.Run, error) {
	b, err := os.ReadFile(filepath.Join(dir, shardRunFile(point, rep)))
	if err != nil {
		return nil, err
	}
	var r results.Run
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, shardRunFile(point, rep)), err)
	}
	return &r, nil
}

// shardJobs numbers the jobs of points with reps[p] replications each — point by point,
// replication by replication — and keeps those of the shard.
func shardJobs(reps []int, sh shardSpec) [][2]int {
	var out [][2]int
	k := 0
	for p, n := range reps {
		for r := range n {
			if sh.owns(k) {
				out = append(out, [2]int{p, r})
			}
			k++
		}
	}
	return out
}
