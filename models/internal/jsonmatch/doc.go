// Package jsonmatch is the content-matching language shared by EventBridge event patterns
// and SNS filter policies: a JSON object shaped like the data it filters, whose leaves are
// lists of alternatives (exact values and operator objects such as prefix, numeric or
// anything-but) and whose "$or" keys combine sub-patterns.
//
// Both services descend from the same matcher (aws/event-ruler, behaviour reference
// §3.3 and §4.2); they differ in which operators they accept, their numeric precision and
// how anything-but treats arrays. A Dialect captures those differences; the public
// packages models/eventbridge/pattern and models/sns/filter each fix one dialect.
//
// A pattern is compiled once into a small tree per "$or" alternative (disjunctive normal
// form), so matching never re-parses JSON and, on an already-decoded value, does not
// allocate. Matching across arrays of objects is array-consistent: conditions inside one
// pattern object must all hold for the same array element (reference §4.2, [E-RULER]).
package jsonmatch
