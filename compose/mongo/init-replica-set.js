// Forms the replica set rs0 once (later runs find it formed) and waits for a primary.
try {
  rs.status();
  print("replica set rs0 already initiated");
} catch (e) {
  rs.initiate({
    _id: "rs0",
    members: [
      { _id: 0, host: "mongo-1:27017", priority: 2 },
      { _id: 1, host: "mongo-2:27017", priority: 1 },
      { _id: 2, host: "mongo-3:27017", priority: 1 }
    ]
  });
  print("replica set rs0 initiated");
}
for (let i = 0; i < 120; i++) {
  const primary = rs.status().members.find(m => m.stateStr === "PRIMARY");
  if (primary) {
    print("primary: " + primary.name);
    quit(0);
  }
  sleep(1000);
}
print("no primary after 120 s");
quit(1);
