-- One heartbeat of a process: its samples at one time.
INSERT INTO ops_heartbeats (component, instance, at, samples)
SELECT {component:String}, {instance:String}, fromUnixTimestamp64Milli({at:Int64}, 'UTC'),
       mapFromArrays({keys:Array(String)}, {values:Array(Float64)})
