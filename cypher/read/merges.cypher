// Every recorded merge decision: merged entity id → canonical id.
MATCH (m:Merge)
RETURN m.merged AS merged, m.canonical AS canonical
