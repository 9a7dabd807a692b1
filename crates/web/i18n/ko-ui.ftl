# ui: messages of this area (ko)
